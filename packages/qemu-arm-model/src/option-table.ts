// The QEMU model options a user can set by name (`--qemu k=v` in the CLI, `qemuOptions` in replay files):
// kebab-case names, their accepted values, and one parser that turns text into a typed option.
import { InputError } from '@vgicsim/gicv3-regs';
import { QEMU_FIXES, findQemuFix } from './fixes.js';
import type { QemuFixId } from './fixes.js';
import type { QemuOptions } from './options.js';

export type QemuSettingValue = string | number | boolean;

export interface QemuSettingSpec {
  readonly name: string;
  readonly key: keyof QemuOptions;
  readonly accepted: string;
  parse(text: string): QemuSettingValue | null;
}

function oneOf(values: readonly string[]): (text: string) => string | null {
  return (text) => (values.includes(text) ? text : null);
}

function bool(text: string): boolean | null {
  return text === 'true' ? true : text === 'false' ? false : null;
}

function int(min: number, max: number): (text: string) => number | null {
  return (text) => {
    if (!/^[0-9]+$/.test(text)) return null;
    const n = Number(text);
    return n >= min && n <= max ? n : null;
  };
}

export const QEMU_SETTINGS: readonly QemuSettingSpec[] = [
  { name: 'halt-in-kernel', key: 'haltInKernel', accepted: 'true or false', parse: bool },
  { name: 'loop-order', key: 'loopOrder', accepted: 'events-then-exec or exec-then-events', parse: oneOf(['events-then-exec', 'exec-then-events']) },
  { name: 'bql-policy', key: 'bqlPolicy', accepted: 'barging or fifo', parse: oneOf(['barging', 'fifo']) },
  { name: 'bql-sleep-bound-ns', key: 'bqlSleepBoundNs', accepted: 'an integer 0..1000000000', parse: int(0, 1_000_000_000) },
  { name: 'stranded-pauser-verdict', key: 'strandedPauserVerdict', accepted: 'continue or stop', parse: oneOf(['continue', 'stop']) },
  { name: 'hang-verdict', key: 'hangVerdict', accepted: 'stop or continue', parse: oneOf(['stop', 'continue']) },
  { name: 'reset-marks-dirty', key: 'resetMarksDirty', accepted: 'true or false', parse: bool },
  { name: 'sync-register-count', key: 'syncRegisterCount', accepted: 'an integer 1..32', parse: int(1, 32) },
];

/** A bad QEMU option or fix id, in the one input-error shape (`accepted` is a whole clause). */
export class QemuSettingError extends InputError {
  override readonly name = 'QemuSettingError';
  constructor(problem: string, accepted: string, received: string) {
    super({ problem, accepted, received });
  }
}

/** "name=value" → [name, typed value]; throws QemuSettingError naming what is accepted. */
export function parseQemuSetting(text: string): [string, QemuSettingValue] {
  const eq = text.indexOf('=');
  const names = QEMU_SETTINGS.map((s) => s.name).join(', ');
  if (eq <= 0) throw new QemuSettingError('a QEMU option needs name=value', `accepted names: ${names}`, text);
  const name = text.slice(0, eq);
  const spec = QEMU_SETTINGS.find((s) => s.name === name);
  if (spec === undefined) throw new QemuSettingError(`unknown QEMU option ${name}`, `accepted names: ${names}`, text);
  const value = spec.parse(text.slice(eq + 1));
  if (value === null) throw new QemuSettingError(`bad value for QEMU option ${name}`, `accepted: ${spec.accepted}`, text);
  return [name, value];
}

/** A fix id or commit prefix (≥ 7 hex digits) → its id; throws QemuSettingError otherwise. */
export function parseQemuRevert(text: string): QemuFixId {
  const fix = findQemuFix(text.trim());
  if (fix === undefined) throw new QemuSettingError('unknown upstream fix to revert', `accepted: ${QEMU_FIXES.map((f) => f.id).join(', ')}`, text);
  return fix.id;
}

/** Named settings (as parsed or read from a replay file) and reverts → QemuOptions overrides. */
export function qemuOptionsFromSettings(settings: Readonly<Record<string, QemuSettingValue>>, revert: readonly string[] = []): Partial<QemuOptions> {
  const out: Record<string, QemuSettingValue | readonly QemuFixId[]> = {};
  for (const [name, value] of Object.entries(settings)) {
    const spec = QEMU_SETTINGS.find((s) => s.name === name);
    if (spec === undefined) throw new QemuSettingError(`unknown QEMU option ${name}`, `accepted names: ${QEMU_SETTINGS.map((s) => s.name).join(', ')}`, name);
    const typed = spec.parse(String(value));
    if (typed === null) throw new QemuSettingError(`bad value for QEMU option ${name}`, `accepted: ${spec.accepted}`, String(value));
    out[spec.key] = typed;
  }
  if (revert.length > 0) out['revert'] = revert.map(parseQemuRevert);
  return out;
}
