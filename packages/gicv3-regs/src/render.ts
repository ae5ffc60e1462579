// Text rendering in the style of the Arm spec: a bit diagram (field names over their bit ranges, one
// row per 32 bits, most significant row first) followed by a field table.
import { assertFitsRegister, formatBits } from './codec.js';
import { genericSysregName, sysregId } from './encoding.js';
import type { LayoutField, RegisterSpec } from './field-table.js';
import { isReserved, layout } from './field-table.js';
import { formatHex } from './parse.js';

interface Segment {
  readonly label: string;
  readonly msb: number;
  readonly lsb: number;
  readonly value: string;
}

function formatFieldValue(width: number, v: bigint): string {
  return width <= 4 ? v.toString(10) : `0x${v.toString(16)}`;
}

function center(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
}

function segmentsOfRow(fields: readonly LayoutField[], value: bigint, hi: number, lo: number): Segment[] {
  const out: Segment[] = [];
  for (const f of fields) {
    const msb = Math.min(f.msb, hi);
    const lsb = Math.max(f.lsb, lo);
    if (msb < lsb) continue;
    const v = (value >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n);
    out.push({ label: f.name, msb, lsb, value: formatFieldValue(msb - lsb + 1, v) });
  }
  return out;
}

function renderRow(segments: readonly Segment[]): string[] {
  const widths = segments.map((s) => {
    const bits = s.msb === s.lsb ? `${s.msb}`.length : `${s.msb}`.length + 1 + `${s.lsb}`.length;
    return Math.max(s.label.length, s.value.length, bits) + 2;
  });
  let bitsLine = '';
  let border = '+';
  let names = '|';
  let values = '|';
  segments.forEach((s, i) => {
    const w = widths[i] ?? 0;
    const bitText =
      s.msb === s.lsb ? center(`${s.msb}`, w) : `${s.msb}`.padEnd(w - `${s.lsb}`.length) + `${s.lsb}`;
    bitsLine += ' ' + bitText;
    border += '-'.repeat(w) + '+';
    names += center(s.label, w) + '|';
    values += center(s.value, w) + '|';
  });
  return [bitsLine.trimEnd(), border, names, values, border];
}

/** The bit diagram alone. @throws RegsInputError if `value` does not fit the register. */
export function renderDiagram(reg: RegisterSpec, value: bigint): string {
  assertFitsRegister(reg, value);
  const fields = layout(reg);
  const lines: string[] = [];
  for (let hi = reg.width - 1; hi >= 0; hi -= 32) {
    lines.push(...renderRow(segmentsOfRow(fields, value, hi, hi - 31)));
  }
  return lines.join('\n');
}

function conditionText(f: LayoutField): string {
  const c = f.condition;
  if (c === undefined) return '';
  return ` [${c.access} when ${c.when}${c.unverified === undefined ? '' : '; UNVERIFIED condition'}]`;
}

/** The field table alone: bits, name, access, value, meaning. */
export function renderFieldTable(reg: RegisterSpec, value: bigint): string {
  assertFitsRegister(reg, value);
  const rows = layout(reg).map((f) => {
    const v = (value >> BigInt(f.lsb)) & ((1n << BigInt(f.msb - f.lsb + 1)) - 1n);
    const meaning = isReserved(f) ? f.meaning : f.meaning + conditionText(f);
    return [formatBits(f), f.name, f.access, formatFieldValue(f.msb - f.lsb + 1, v), meaning] as const;
  });
  const header = ['Bits', 'Field', 'Access', 'Value', 'Meaning'] as const;
  const widths = [0, 1, 2, 3].map((i) => Math.max(header[i]?.length ?? 0, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < 4 ? c.padEnd(widths[i] ?? 0) : c)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One-line heading, e.g. "ICC_CTLR_EL1 = 0x0000000000008400 (S3_0_C12_C12_4, sysreg id 0xc664, 64-bit): …". */
export function describeRegister(reg: RegisterSpec, value: bigint): string {
  const where =
    reg.kind === 'sysreg'
      ? `${genericSysregName(reg.encoding)}, sysreg id ${formatHex(sysregId(reg.encoding), 4)}`
      : `${reg.frame} + ${formatHex(reg.offset, 4)}`;
  return `${reg.name} = ${formatHex(value, reg.width / 4)} (${where}, ${reg.width}-bit): ${reg.description}`;
}

/** Heading, bit diagram and field table, separated by blank lines. */
export function render(reg: RegisterSpec, value: bigint): string {
  return [describeRegister(reg, value), renderDiagram(reg, value), renderFieldTable(reg, value)].join('\n\n');
}
