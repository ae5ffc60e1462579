import { describe, expect, it } from 'vitest';
import { HOST_PROFILES, customHostProfile, findHostProfile } from './host-profiles.js';
import { hostVtrFields } from './icc-ctlr.js';

describe('host profiles', () => {
  it('has the real and synthetic profiles, synthetic ones marked', () => {
    expect(HOST_PROFILES.map((p) => [p.name, p.ichVtr, p.synthetic])).toEqual([
      ['cortex-a76', 0x90280003n, false],
      ['cortex-a53', 0x90000003n, false],
      ['synthetic-7bit', 0xd0280003n, true],
      ['synthetic-seis-id24', 0xb0e80003n, true],
    ]);
    for (const p of HOST_PROFILES.filter((x) => x.synthetic)) expect(p.description).toMatch(/^SYNTHETIC/);
  });

  it('synthetic-7bit differs from cortex-a76 only in PRIbits', () => {
    expect(hostVtrFields(findHostProfile('synthetic-7bit').ichVtr)).toEqual({ ...hostVtrFields(findHostProfile('cortex-a76').ichVtr), priBits: 6 });
  });

  it('finds profiles case-insensitively and rejects unknown names', () => {
    expect(findHostProfile('Cortex-A76').name).toBe('cortex-a76');
    expect(() => findHostProfile('a77')).toThrow("unknown host profile; accepted: cortex-a76, cortex-a53, synthetic-7bit, synthetic-seis-id24 (got 'a77')");
  });

  it('builds custom profiles from a valid ICH_VTR_EL2 only', () => {
    expect(customHostProfile('0x90280003')).toMatchObject({ name: 'custom', ichVtr: 0x90280003n, synthetic: true });
    expect(customHostProfile(0xd0280003n, 'mine').name).toBe('mine');
    expect(() => customHostProfile('0x190280003')).toThrow(/RES0 bits 63:32 set/);
    expect(() => customHostProfile('0x91000003')).toThrow(/IDbits = 2 is a reserved value/);
    expect(() => customHostProfile('junk')).toThrow(/not a number/);
  });
});
