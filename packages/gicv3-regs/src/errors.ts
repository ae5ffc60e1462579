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

export interface RegsInputErrorInit {
  readonly kind: RegsInputErrorKind;
  /** What was wrong, e.g. "negative value". */
  readonly problem: string;
  /** What is accepted, e.g. "a 0x-prefixed hex or decimal integer in 0..2^64-1". */
  readonly accepted: string;
  /** The text that was received, verbatim. */
  readonly received: string;
  /** Known names, for "did you mean" suggestions (register or field names). */
  readonly candidates?: readonly string[];
}

/** Thrown for any malformed or out-of-range input to the public API. */
export class RegsInputError extends Error {
  override readonly name = 'RegsInputError';
  readonly kind: RegsInputErrorKind;
  readonly problem: string;
  readonly accepted: string;
  readonly received: string;
  readonly candidates: readonly string[];

  constructor(init: RegsInputErrorInit) {
    super(`${init.problem}; ${init.accepted} (got '${init.received}')`);
    this.kind = init.kind;
    this.problem = init.problem;
    this.accepted = init.accepted;
    this.received = init.received;
    this.candidates = init.candidates ?? [];
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
