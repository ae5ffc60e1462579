// The README example, run for real: its exact output, and the README copy of its code and of the cost
// table must match the sources (so the README cannot rot).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costModelTable } from './cost-table.js';
import { fourVcpus } from './four-vcpus.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README example: four vCPUs and an ICC_CTLR_EL1 read', () => {
  it('GET is -EBUSY while the four vCPUs are in KVM_RUN and 0x8400 once SIG_IPI has kicked them out', () => {
    expect(fourVcpus()).toEqual({
      gets: ['53170 -EBUSY', '103830 0'],
      iccCtlr: 0x8400n,
      runExits: ['vcpu2 -EINTR at 54870', 'vcpu0 -EINTR at 54870', 'vcpu3 -EINTR at 54870', 'vcpu1 -EINTR at 54870'],
      outcome: 'ok',
      endNs: 103830,
    });
  });

  it('the README shows exactly the code of src/examples/four-vcpus.ts', () => {
    const code = readFileSync(new URL('./four-vcpus.ts', import.meta.url), 'utf8').replace("from '../index.js'", "from '@vgicsim/kvm-sim'");
    expect(readme).toContain('```ts\n' + code + '```');
  });

  it('the README cost table is the one generated from DEFAULT_COST_MODEL and COST_SOURCES', () => {
    expect(readme).toContain(costModelTable());
    expect(costModelTable().split('\n')).toHaveLength(2 + 21);
  });
});
