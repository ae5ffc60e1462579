import { intParam } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { buildLinuxVm } from './common.js';

export const REBOOT_LOOP: Suite = {
  name: 'reboot-loop',
  summary: 'R guest SYSTEM_RESETs, alternating hypervisor (EOImode 1) and linux (EOImode 0) boots',
  description:
    'Every boot ends in PSCI SYSTEM_RESET, which QEMU serves with pause_all_vcpus, qemu_system_reset and ' +
    'resume_all_vcpus. Boots alternate between a guest with EL2 (EOImode 1) and a plain one (EOImode 0), ' +
    'starting with the hypervisor: a design that caches a live ICC_CTLR_EL1 keeps one boot’s EOImode in every ' +
    'later reset, which the oracle records.',
  params: {
    vcpus: { type: 'int', default: 4, min: 1, max: 512, description: 'vCPUs' },
    reboots: { type: 'int', default: 5, min: 0, max: 10_000, description: 'SYSTEM_RESETs' },
  },
  build(ctx) {
    const n = intParam(ctx.params, 'vcpus');
    const r = intParam(ctx.params, 'reboots');
    const { vm, mem } = buildLinuxVm(ctx, { smp: n, eoimodeForBoot: (boot) => (boot % 2 === 0 ? 1 : 0) }, 'hypervisor/linux');
    for (let i = 0; i < r; i++) mem.tasks.push({ kind: 'reboot' });
    mem.tasks.push({ kind: 'poweroff' });
    return { vms: [vm], mem };
  },
};
