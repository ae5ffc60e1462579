// Typed flag and positional declarations and the one generic argv parser every command uses.
// A command declares its flags as data; the parser turns argv into typed values or a UsageError.
import { UsageError } from './errors.js';

export type FlagType = 'string' | 'number' | 'boolean' | 'string[]';

/** The JavaScript type a flag type parses to. */
export type FlagValueOf<T extends FlagType> = T extends 'string'
  ? string
  : T extends 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : readonly string[];

export interface FlagSpec<T extends FlagType = FlagType> {
  readonly type: T;
  readonly description: string;
  /** Value when the flag is absent (booleans default to false, repeated strings to []). */
  readonly default?: FlagValueOf<T>;
  /** Placeholder shown in help, e.g. "N" or "A3.A2.A1.A0". */
  readonly valueName?: string;
  /** For numbers: require an integer. */
  readonly integer?: boolean;
  /** For numbers: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

type ResolvedFlag<S> =
  S extends FlagSpec<infer T>
    ? T extends 'boolean' | 'string[]'
      ? FlagValueOf<T>
      : S extends { readonly default: unknown }
        ? FlagValueOf<T>
        : FlagValueOf<T> | undefined
    : never;

/** Parsed flag values, typed from the flag table. */
export type FlagValues<F extends FlagTable> = { readonly [K in keyof F]: ResolvedFlag<F[K]> };

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  /** Takes all remaining arguments (last positional only). */
  readonly variadic?: boolean;
}

export interface CommandSpec<F extends FlagTable = FlagTable> {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly positionals: readonly PositionalSpec[];
  readonly flags: F;
  readonly examples: readonly string[];
}

export interface ParsedArgs<F extends FlagTable> {
  readonly positionals: readonly string[];
  readonly flags: FlagValues<F>;
}

export type ParseOutcome<F extends FlagTable> = { readonly help: true } | ({ readonly help: false } & ParsedArgs<F>);

/** "vgicsim decode <REGISTER> <VALUE> [--json]". */
export function usageLine(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => {
    const core = p.variadic === true ? `${p.name}…` : `<${p.name}>`;
    return p.required ? core : `[${core}]`;
  });
  const flags = Object.entries(spec.flags).map(([name, f]) => (f.type === 'boolean' ? `[--${name}]` : `[--${name} ${f.valueName ?? 'VALUE'}]`));
  return ['vgicsim', spec.name, ...pos, ...flags].join(' ');
}

const NUMBER = /^-?(?:0x[0-9a-f]+|[0-9]+(?:\.[0-9]+)?)$/i;

function parseNumberFlag(name: string, spec: FlagSpec, text: string): number {
  const min = spec.min ?? -Infinity;
  const max = spec.max ?? Infinity;
  const kind = spec.integer === true ? 'an integer' : 'a number';
  const range = Number.isFinite(min) || Number.isFinite(max) ? ` in ${min}..${max}` : '';
  const accepted = `accepted: ${kind}${range} (decimal or 0x hex)`;
  if (!NUMBER.test(text)) throw new UsageError({ problem: `--${name} needs a number`, accepted, received: text });
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const magnitude = /^0x/i.test(body) ? Number.parseInt(body.slice(2), 16) : Number(body);
  const value = negative ? -magnitude : magnitude;
  if (spec.integer === true && !Number.isSafeInteger(value)) {
    throw new UsageError({ problem: `--${name} needs an integer`, accepted, received: text });
  }
  if (value < min || value > max) throw new UsageError({ problem: `--${name} out of range`, accepted, received: text });
  return value;
}

function parseBooleanFlag(name: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new UsageError({ problem: `--${name} is a switch`, accepted: `accepted: --${name}, --${name}=true or --${name}=false`, received: text });
}

function acceptedOptions(spec: CommandSpec): string {
  return `accepted options: ${[...Object.keys(spec.flags).map((n) => `--${n}`), '--help'].join(', ')}`;
}

/** An option-like token: `-x`, `--x`; not `-` (stdout) nor a negative number (a value for range checks). */
function looksLikeOption(text: string): boolean {
  return text.length > 1 && text.startsWith('-') && !/^-[0-9.]/.test(text);
}

/**
 * Parses argv (without the command name) against a command spec. Supports `--flag value`,
 * `--flag=value`, boolean `--flag`, repeated string flags, `--` to end options, and `-h`/`--help`. A flag
 * given twice is an error unless it is a list (`string[]`); a separate value that looks like an option is
 * an error (give it as `--flag=value`). Arguments that look like negative numbers are positionals, so value parsers can reject them with a
 * precise message.
 * @throws UsageError for unknown options, missing or malformed values and wrong argument counts.
 */
export function parseArgs<F extends FlagTable>(spec: CommandSpec<F>, argv: readonly string[]): ParseOutcome<F> {
  const values = new Map<string, unknown>();
  const positionals: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (optionsEnded || token === '-' || !token.startsWith('-') || /^-[0-9]/.test(token)) {
      positionals.push(token);
      continue;
    }
    if (token === '--') {
      optionsEnded = true;
      continue;
    }
    if (token === '--help' || token === '-h') return { help: true };
    const eq = token.indexOf('=');
    const name = token.startsWith('--') ? token.slice(2, eq === -1 ? undefined : eq) : '';
    const flag = Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
    if (flag === undefined) {
      const optionNames = [...Object.keys(spec.flags), 'help'].map((n) => `--${n}`);
      throw new UsageError({ problem: 'unknown option', accepted: acceptedOptions(spec), received: token, candidates: optionNames });
    }
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    // Only list flags take several values; a second value would otherwise silently win.
    if (values.has(name) && flag.type !== 'string[]') {
      throw new UsageError({ problem: `--${name} given twice`, accepted: 'accepted: each option at most once (only list options such as --param repeat)', received: token });
    }
    if (flag.type === 'boolean') {
      values.set(name, inline === undefined ? true : parseBooleanFlag(name, inline));
      continue;
    }
    const text = inline ?? argv[++i];
    if (text === undefined) {
      throw new UsageError({ problem: `--${name} needs a value`, accepted: `accepted: --${name} ${flag.valueName ?? 'VALUE'}`, received: token });
    }
    // `--trace --json` is a forgotten value, not a file named --json; `--trace=--json` says it on purpose.
    if (inline === undefined && looksLikeOption(text)) {
      throw new UsageError({
        problem: `--${name} needs a value, not an option`,
        accepted: `accepted: --${name} ${flag.valueName ?? 'VALUE'}, or --${name}=${text} for a value that starts with -`,
        received: text,
      });
    }
    if (flag.type === 'number') values.set(name, parseNumberFlag(name, flag, text));
    else if (flag.type === 'string') values.set(name, text);
    else values.set(name, [...((values.get(name) as readonly string[] | undefined) ?? []), text]);
  }

  const required = spec.positionals.filter((p) => p.required).length;
  const variadic = spec.positionals.at(-1)?.variadic === true;
  if (positionals.length < required) {
    const missing = spec.positionals[positionals.length];
    throw new UsageError({
      problem: `missing argument ${missing === undefined ? '' : `<${missing.name}>`}`.trimEnd(),
      accepted: `usage: ${usageLine(spec)}`,
      received: argv.join(' '),
    });
  }
  if (!variadic && positionals.length > spec.positionals.length) {
    throw new UsageError({
      problem: 'unexpected argument',
      accepted: `usage: ${usageLine(spec)}`,
      received: positionals[spec.positionals.length] ?? '',
    });
  }

  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec.flags)) {
    const fallback = f.type === 'boolean' ? false : f.type === 'string[]' ? [] : undefined;
    flags[name] = values.get(name) ?? f.default ?? fallback;
  }
  // The loop above fills exactly the keys of spec.flags with values of their declared types.
  return { help: false, positionals, flags: flags as FlagValues<F> };
}
