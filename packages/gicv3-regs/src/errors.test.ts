import { describe, expect, it } from 'vitest';
import { InputError, RegsInputError, describeReceived } from './errors.js';

describe('the one input-error shape', () => {
  it('formats "<problem>; <accepted> (got \'<received>\')" and keeps the parts', () => {
    const e = new InputError({ problem: 'unknown option --x', accepted: 'accepted: --seed, --json', received: '--x', candidates: ['--seed'] });
    expect(e.message).toBe("unknown option --x; accepted: --seed, --json (got '--x')");
    expect([e.name, e.problem, e.accepted, e.received]).toEqual(['InputError', 'unknown option --x', 'accepted: --seed, --json', '--x']);
    expect(e.candidates).toEqual(['--seed']);
    expect(new InputError({ problem: 'p', accepted: 'a', received: 'r' }).candidates).toEqual([]);
  });

  it('RegsInputError is an InputError with a kind', () => {
    const e = new RegsInputError({ kind: 'value', problem: 'negative value', accepted: 'a 0x-prefixed hex or decimal integer', received: '-1' });
    expect(e).toBeInstanceOf(InputError);
    expect(e.name).toBe('RegsInputError');
    expect(e.kind).toBe('value');
    expect(e.message).toBe("negative value; a 0x-prefixed hex or decimal integer (got '-1')");
    expect(describeReceived(5n)).toBe('5n');
  });
});
