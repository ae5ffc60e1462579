// vgicsim attr <REGISTER> (--mpidr VALUE | --affinity A3.A2.A1.A0 | --vcpu N) [--json]
import type { Affinity } from '@vgicsim/gicv3-regs';
import {
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  REGISTERS,
  affinityFromMpidr,
  affinityToVgicMpidr,
  arm64SysRegId,
  findSysreg,
  formatAffinity,
  formatHex,
  genericSysregName,
  kvmVcpuAffinity,
  packSysregAttr,
  parseAffinity,
  parseRegisterValue,
  sysregId,
  validate,
} from '@vgicsim/gicv3-regs';
import type { AttrArgs } from '../command-specs.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { positional, printJson } from './shared.js';

function selectAffinity(args: AttrArgs): Affinity {
  const { mpidr, affinity, vcpu } = args.flags;
  const given = [
    mpidr === undefined ? undefined : `--mpidr ${mpidr}`,
    affinity === undefined ? undefined : `--affinity ${affinity}`,
    vcpu === undefined ? undefined : `--vcpu ${vcpu}`,
  ].filter((g) => g !== undefined);
  if (given.length !== 1) {
    throw new UsageError({
      problem: given.length === 0 ? 'no vCPU selected' : 'more than one vCPU selector',
      accepted: 'accepted: exactly one of --mpidr VALUE, --affinity A3.A2.A1.A0, --vcpu N',
      received: given.join(' '),
    });
  }
  if (vcpu !== undefined) return kvmVcpuAffinity(vcpu);
  if (affinity !== undefined) return parseAffinity(affinity);
  const value = parseRegisterValue(mpidr ?? '');
  const res0 = validate(REGISTERS.MPIDR_EL1, value).find((p) => p.code === 'res0-set');
  if (res0 !== undefined) {
    throw new UsageError({
      problem: `not an MPIDR_EL1 value: ${res0.message}`,
      accepted: 'accepted: an MPIDR_EL1 value with only Aff3 (39:32), bit 31, U, MT and Aff2..Aff0 (23:0) set',
      received: mpidr ?? '',
    });
  }
  return affinityFromMpidr(value);
}

export function run(args: AttrArgs, io: CliIo): number {
  const reg = findSysreg(positional(args.positionals, 0));
  const affinity = selectAffinity(args);
  const id = sysregId(reg.encoding);
  const attr = packSysregAttr(affinity, id);
  if (args.flags.json) {
    printJson(io, { register: reg.name, sysregId: formatHex(id, 4), attr: formatHex(attr), affinity: formatAffinity(affinity) });
    return 0;
  }
  const rows: [string, string][] = [
    ['register', `${reg.name} (${genericSysregName(reg.encoding)})`],
    ['sysreg id', formatHex(id, 4)],
    ['affinity', `${formatAffinity(affinity)} (packed ${formatHex(affinityToVgicMpidr(affinity), 8)})`],
    ['attr', `${formatHex(attr)} (group KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS = ${KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS})`],
    ['ONE_REG id', formatHex(arm64SysRegId(reg.encoding))],
  ];
  io.stdout(rows.map(([k, v]) => `${k.padEnd(10)}  ${v}`).join('\n'));
  return 0;
}
