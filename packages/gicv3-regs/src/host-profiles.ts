// Host CPU-interface profiles: the ICH_VTR_EL2 value KVM keeps in kvm_vgic_global_state, from which
// every vCPU's ICC_CTLR_EL1 and reset state derive. gicv3.md §6.
import { validate } from './codec.js';
import { RegsInputError, describeReceived } from './errors.js';
import { parseRegisterValue } from './parse.js';
import { ICH_VTR_EL2 } from './registers/ich.js';

export interface HostProfile {
  readonly name: string;
  readonly description: string;
  /** ICH_VTR_EL2 as KVM stores it (on hosts with broken SEIS, e.g. Apple M1, KVM clears SEIS first). */
  readonly ichVtr: bigint;
  /** Where the value comes from. */
  readonly source: string;
  /** True for invented profiles that exist only to exercise the simulator. */
  readonly synthetic: boolean;
}

export const CORTEX_A76: HostProfile = {
  name: 'cortex-a76',
  description: 'Arm Cortex-A76: 5 priority bits, 16-bit INTIDs, A3V=1, SEIS=0, TDS=1, 4 List registers',
  ichVtr: 0x90280003n,
  source: 'computed from the Cortex-A76 TRM ICH_VTR_EL2 field table (100798_0300_00_en, B4.23); fresh ICC_CTLR_EL1 = 0x8400',
  synthetic: false,
};

export const CORTEX_A53: HostProfile = {
  name: 'cortex-a53',
  description: 'Arm Cortex-A53: 5 priority bits, 16-bit INTIDs, A3V=0, SEIS=0, 4 List registers',
  ichVtr: 0x90000003n,
  source: 'computed from the Cortex-A53 TRM ICH_VTR_EL2 field table (100095_0002_04_en); fresh ICC_CTLR_EL1 = 0x0400',
  synthetic: false,
};

export const SYNTHETIC_7BIT: HostProfile = {
  name: 'synthetic-7bit',
  description: 'SYNTHETIC: cortex-a76 with 7 priority bits (PRIbits=6) so migrations can cross a PRIbits change',
  ichVtr: 0xd0280003n,
  source: 'SYNTHETIC (not a real CPU): A76 fields with PRIbits=6; fresh ICC_CTLR_EL1 = 0x8600',
  synthetic: true,
};

export const SYNTHETIC_SEIS_ID24: HostProfile = {
  name: 'synthetic-seis-id24',
  description: 'SYNTHETIC: 6 priority bits, 24-bit INTIDs, SEIS=1, A3V=1, to exercise every ICC_CTLR_EL1 SET check',
  ichVtr: 0xb0e80003n,
  source: 'SYNTHETIC (not a real CPU): PRIbits=5, PREbits=4, IDbits=1, SEIS=1, A3V=1, TDS=1; fresh ICC_CTLR_EL1 = 0xcd00',
  synthetic: true,
};

/** All named profiles; synthetic ones are marked `synthetic: true` and named "synthetic-…". */
export const HOST_PROFILES: readonly HostProfile[] = [CORTEX_A76, CORTEX_A53, SYNTHETIC_7BIT, SYNTHETIC_SEIS_ID24];

/** Case-insensitive lookup. @throws RegsInputError (kind 'profile') listing the profile names. */
export function findHostProfile(name: string): HostProfile {
  const key = name.trim().toLowerCase();
  const found = HOST_PROFILES.find((p) => p.name === key);
  if (found !== undefined) return found;
  const names = HOST_PROFILES.map((p) => p.name);
  throw new RegsInputError({
    kind: 'profile',
    problem: 'unknown host profile',
    accepted: `accepted: ${names.join(', ')}`,
    received: name,
    candidates: names,
  });
}

/**
 * A profile from an ICH_VTR_EL2 value (bigint, "0x…" or decimal text). Marked synthetic.
 * @throws RegsInputError if the value is malformed, has RES0 bits set or a reserved IDbits value.
 */
export function customHostProfile(ichVtr: bigint | string, name = 'custom'): HostProfile {
  const value = parseRegisterValue(ichVtr);
  const problems = validate(ICH_VTR_EL2, value);
  const first = problems[0];
  if (first !== undefined) {
    throw new RegsInputError({
      kind: 'value',
      problem: `invalid ICH_VTR_EL2: ${first.message}`,
      accepted: 'accepted: an ICH_VTR_EL2 value with bits 63:32 and 17:5 clear and IDbits 0 or 1',
      received: describeReceived(ichVtr),
    });
  }
  return {
    name,
    description: `custom host with ICH_VTR_EL2 = 0x${value.toString(16)}`,
    ichVtr: value,
    source: 'user-supplied ICH_VTR_EL2 value',
    synthetic: true,
  };
}
