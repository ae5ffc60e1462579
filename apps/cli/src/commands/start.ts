// vgicsim start: for now, the ICC_CTLR_EL1 a fresh KVM vCPU reports on a host profile.
import { REGISTERS, findHostProfile, formatHex, freshIccCtlr, render } from '@vgicsim/gicv3-regs';
import type { StartArgs } from '../command-specs.js';
import type { CliIo } from '../io.js';

export function run(args: StartArgs, io: CliIo): number {
  const profile = findHostProfile(args.flags.profile);
  const value = freshIccCtlr(profile.ichVtr);
  io.stdout(
    [
      `Host profile ${profile.name}: ${profile.description}`,
      `ICH_VTR_EL2 = ${formatHex(profile.ichVtr)}; a fresh vCPU reads ICC_CTLR_EL1 through KVM_GET_DEVICE_ATTR as:`,
      '',
      render(REGISTERS.ICC_CTLR_EL1, value),
    ].join('\n'),
  );
  return 0;
}
