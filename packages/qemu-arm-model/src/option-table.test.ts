import { InputError } from '@vgicsim/gicv3-regs';
import { describe, expect, it } from 'vitest';
import { QemuSettingError, parseQemuRevert, parseQemuSetting } from './option-table.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
}

describe('QEMU option errors are input errors of the one shape', () => {
  it('an unknown option: problem, accepted names and the text received, in "<problem>; <accepted> (got …)"', () => {
    const e = thrown(() => parseQemuSetting('halt-in-kernal=false'));
    expect(e).toBeInstanceOf(QemuSettingError);
    expect(e).toBeInstanceOf(InputError);
    const err = e as QemuSettingError;
    expect([err.problem, err.received]).toEqual(['unknown QEMU option halt-in-kernal', 'halt-in-kernal=false']);
    expect(err.accepted).toMatch(/^accepted names: /);
    expect(err.message).toBe(`unknown QEMU option halt-in-kernal; ${err.accepted} (got 'halt-in-kernal=false')`);
  });
  it('an unknown fix to revert names the fixes it knows', () => {
    const err = thrown(() => parseQemuRevert('deadbeef00')) as QemuSettingError;
    expect(err.message).toBe("unknown upstream fix to revert; accepted: f962cac4c2, 0ec7e6779f, 96bce6831b, 1bd71dce4b, ddad81bd28 (got 'deadbeef00')");
  });
});
