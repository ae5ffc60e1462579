// Typed input errors. Every message has the shape "<problem>; <what is accepted> (got '<text>')" so a
// command-line front end can print it verbatim as one line.

/** What kind of input was rejected; lets callers react without parsing the message. */
export type RegsInputErrorKind =
  | 'value'
  | 'register'
  | 'field'
  | 'field-value'
  | 'affinity'
  | 'profile'
  | 'not-sysreg'
  | 'vcpu';

/** The one shape of an input error across vgicsim: what was wrong, what is accepted, the text received. */
export interface InputErrorInit {
  /** What was wrong, e.g. "negative value". */
  readonly problem: string;
  /** What is accepted, e.g. "a 0x-prefixed hex or decimal integer in 0..2^64-1". */
  readonly accepted: string;
  /** The text that was received, verbatim. */
  readonly received: string;
  /** Known names, for "did you mean" suggestions (register or field names). */
  readonly candidates?: readonly string[];
}

/**
 * Bad input, in the one shape every layer reports it: the message is
 * "<problem>; <accepted> (got '<received>')". Layers extend it with what callers need to react (a kind).
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  readonly problem: string;
  readonly accepted: string;
  readonly received: string;
  readonly candidates: readonly string[];

  constructor(init: InputErrorInit) {
    super(`${init.problem}; ${init.accepted} (got '${init.received}')`);
    this.problem = init.problem;
    this.accepted = init.accepted;
    this.received = init.received;
    this.candidates = init.candidates ?? [];
  }
}

export interface RegsInputErrorInit extends InputErrorInit {
  readonly kind: RegsInputErrorKind;
}

/** Thrown for any malformed or out-of-range input to the public API. */
export class RegsInputError extends InputError {
  override readonly name = 'RegsInputError';
  readonly kind: RegsInputErrorKind;

  constructor(init: RegsInputErrorInit) {
    super(init);
    this.kind = init.kind;
  }
}

/** Renders any input for the "(got '…')" part of a message without throwing on odd types. */
export function describeReceived(input: unknown): string {
  if (typeof input === 'string') return input;
  if (typeof input === 'bigint') return `${input}n`;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (input === undefined) return 'undefined';
  if (input === null) return 'null';
  return typeof input;
}
