// The register catalogue and name lookup (by Arm name or generic S<op0>_<op1>_C<n>_C<m>_<op2> form).
import { parseGenericSysregName, sameEncoding } from './encoding.js';
import { RegsInputError } from './errors.js';
import type { RegisterSpec, SysregSpec } from './field-table.js';
import {
  ICC_AP0R_EL1,
  ICC_AP1R_EL1,
  ICC_BPR0_EL1,
  ICC_BPR1_EL1,
  ICC_CTLR_EL1,
  ICC_CTLR_EL3,
  ICC_IGRPEN0_EL1,
  ICC_IGRPEN1_EL1,
  ICC_PMR_EL1,
  ICC_SRE_EL1,
} from './registers/icc.js';
import { ICH_HCR_EL2, ICH_VMCR_EL2, ICH_VTR_EL2 } from './registers/ich.js';
import { GICR_TYPER, MPIDR_EL1 } from './registers/other.js';

/** Every register in the catalogue, keyed by its Arm name. */
export const REGISTERS = {
  ICC_CTLR_EL1,
  ICC_CTLR_EL3,
  ICC_PMR_EL1,
  ICC_BPR0_EL1,
  ICC_BPR1_EL1,
  ICC_IGRPEN0_EL1,
  ICC_IGRPEN1_EL1,
  ICC_SRE_EL1,
  ICC_AP0R0_EL1: ICC_AP0R_EL1[0],
  ICC_AP0R1_EL1: ICC_AP0R_EL1[1],
  ICC_AP0R2_EL1: ICC_AP0R_EL1[2],
  ICC_AP0R3_EL1: ICC_AP0R_EL1[3],
  ICC_AP1R0_EL1: ICC_AP1R_EL1[0],
  ICC_AP1R1_EL1: ICC_AP1R_EL1[1],
  ICC_AP1R2_EL1: ICC_AP1R_EL1[2],
  ICC_AP1R3_EL1: ICC_AP1R_EL1[3],
  ICH_VTR_EL2,
  ICH_VMCR_EL2,
  ICH_HCR_EL2,
  GICR_TYPER,
  MPIDR_EL1,
} as const satisfies Readonly<Record<string, RegisterSpec>>;

export type RegisterName = keyof typeof REGISTERS;

/** The catalogue in display order. */
export const REGISTER_LIST: readonly RegisterSpec[] = Object.values(REGISTERS);

/** Names of all registers, in display order. */
export const REGISTER_NAMES: readonly string[] = REGISTER_LIST.map((r) => r.name);

export function isSysreg(reg: RegisterSpec): reg is SysregSpec {
  return reg.kind === 'sysreg';
}

/** Looks a register up by name (case-insensitive) or generic S-form; undefined if unknown. */
export function tryFindRegister(text: string): RegisterSpec | undefined {
  const key = text.trim().toUpperCase();
  const byName = REGISTER_LIST.find((r) => r.name.toUpperCase() === key);
  if (byName !== undefined) return byName;
  const enc = parseGenericSysregName(key);
  if (enc === undefined) return undefined;
  return REGISTER_LIST.find((r) => isSysreg(r) && sameEncoding(r.encoding, enc));
}

/**
 * Looks a register up by name (case-insensitive) or generic S-form.
 * @throws RegsInputError (kind 'register') listing the accepted forms; `candidates` holds all names.
 */
export function findRegister(text: string): RegisterSpec {
  const reg = tryFindRegister(text);
  if (reg !== undefined) return reg;
  const generic = parseGenericSysregName(text);
  throw new RegsInputError({
    kind: 'register',
    problem: generic === undefined ? 'unknown register' : 'no register with that encoding in the catalogue',
    accepted: `accepted: a register name (case-insensitive) such as ICC_CTLR_EL1, or a generic form such as S3_0_C12_C12_4; known: ${REGISTER_NAMES.join(', ')}`,
    received: text,
    candidates: REGISTER_NAMES,
  });
}

/**
 * Like findRegister, but only system registers (those with an A64 encoding) are accepted.
 * @throws RegsInputError (kind 'not-sysreg') for MMIO registers such as GICR_TYPER.
 */
export function findSysreg(text: string): SysregSpec {
  const reg = findRegister(text);
  if (isSysreg(reg)) return reg;
  throw new RegsInputError({
    kind: 'not-sysreg',
    problem: `${reg.name} is a memory-mapped register (${reg.frame} + 0x${reg.offset.toString(16).padStart(4, '0')}) with no system-register encoding`,
    accepted: `accepted: a system register, one of ${REGISTER_LIST.filter(isSysreg).map((r) => r.name).join(', ')}`,
    received: text,
    candidates: REGISTER_LIST.filter(isSysreg).map((r) => r.name),
  });
}
