// vgicsim registers [--json]
import { REGISTER_LIST, arm64SysRegId, formatHex, genericSysregName, sysregId } from '@vgicsim/gicv3-regs';
import type { RegistersArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';
import { printJson } from './shared.js';

interface RegisterRow {
  readonly name: string;
  readonly kind: 'sysreg' | 'mmio';
  readonly generic: string | null;
  readonly op0: number | null;
  readonly op1: number | null;
  readonly crn: number | null;
  readonly crm: number | null;
  readonly op2: number | null;
  readonly sysregId: string | null;
  readonly oneRegId: string | null;
  readonly frame: string | null;
  readonly offset: string | null;
  readonly width: number;
  readonly description: string;
}

function rows(): RegisterRow[] {
  return REGISTER_LIST.map((r): RegisterRow => {
    const base = { name: r.name, width: r.width, description: r.description };
    if (r.kind === 'mmio') {
      return { ...base, kind: 'mmio', generic: null, op0: null, op1: null, crn: null, crm: null, op2: null, sysregId: null, oneRegId: null, frame: r.frame, offset: formatHex(r.offset, 4) };
    }
    const e = r.encoding;
    return {
      ...base,
      kind: 'sysreg',
      generic: genericSysregName(e),
      ...e,
      sysregId: formatHex(sysregId(e), 4),
      oneRegId: formatHex(arm64SysRegId(e)),
      frame: null,
      offset: null,
    };
  });
}

export function run(args: RegistersArgs, io: CliIo): number {
  const all = rows();
  if (args.flags.json) {
    printJson(io, all);
    return 0;
  }
  const header = ['Name', 'Generic / offset', 'op0 op1 CRn CRm op2', 'Id', 'ONE_REG id', 'Width'];
  const body = all.map((r) => [
    r.name,
    r.generic ?? `${r.frame ?? ''} + ${r.offset ?? ''}`,
    r.kind === 'sysreg' ? [r.op0, r.op1, r.crn, r.crm, r.op2].map((n) => String(n).padStart(3)).join(' ') : '-',
    r.sysregId ?? '-',
    r.oneRegId ?? '-',
    String(r.width),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  io.stdout([line(header), ...body.map(line)].join('\n'));
  return 0;
}
