// A design written only against ctx.api behaves like the built-in it copies; bad shapes and throwing
// hooks are reported as the design's fault.
import { SimModelError } from '@vgicsim/kvm-sim';
import { describe, expect, it } from 'vitest';
import { linuxLikeGuest } from '../test-guests.js';
import { buildArmVm } from './build.js';
import type { StrategyContext } from './strategy.js';
import { StrategyRuntimeError, StrategyShapeError, validateStrategy } from './strategy-validate.js';
import type { GicCpuState } from './gic-state.js';

function boot(strategy: ReturnType<typeof validateStrategy>, iccResetCallsPerCpuReset?: 1 | 2) {
  const guest = linuxLikeGuest({ smp: 4, cycles: 3, churnCpu: 2 });
  const board = iccResetCallsPerCpuReset === undefined ? {} : { board: { iccResetCallsPerCpuReset } };
  const vm = buildArmVm({ strategy, guest: guest.program, smp: 4, sim: { seed: 1, trace: 'hash' }, ...board });
  return { vm, mem: guest.mem };
}

/** realize-once, written as a module would write it. */
const viaApi = {
  name: 'api-realize-once',
  description: 'realize-once through ctx.api',
  source: 'test',
  blockerEarlyReturn: false,
  *onRealize({ api, gic }: StrategyContext) {
    for (const c of gic.cpus) c.strategyData['seed'] = (yield* api.readIccCtlr(c, 'error_abort')).value;
  },
  *resetIccCtlr({ api }: StrategyContext, c: GicCpuState) {
    const seed = c.strategyData['seed'];
    api.setResetValue(c, typeof seed === 'bigint' ? seed : 0n);
  },
};

describe('strategy api', () => {
  it('a design written against ctx.api runs like the built-in it copies: 0 pauses, the host value every reset', () => {
    const { vm, mem } = boot(validateStrategy(viaApi, 'test.mjs'));
    const r = vm.sim.run();
    expect(r.outcome.kind).toBe('ok');
    expect(mem.online).toEqual([true, true, true, true]);
    expect(vm.q.metrics.snapshot().pauseCalls).toBe(0);
    expect(vm.board.oracle.allInstalledReference()).toBe(true);
  });

  it('pause, read, resume through the api costs one VM-wide pause per ICC reset call: two per CPU_ON reset by default', () => {
    const pausing = {
      name: 'api-pause',
      description: 'd',
      source: 's',
      *resetIccCtlr({ api }: StrategyContext, c: GicCpuState) {
        yield* api.pauseAllVcpus();
        const { value } = yield* api.readIccCtlr(c, 'error_abort');
        yield* api.resumeAllVcpus();
        api.setResetValue(c, value);
      },
    };
    // 6 CPU_ON resets (3 secondaries' first CPU_ON + 3 cycles of vCPU 2); cpu_reset calls the ICC reset
    // hook twice by default (iccResetCallsPerCpuReset 2), once with the counterfactual option.
    const twice = boot(validateStrategy(pausing, 'p.mjs')).vm;
    expect(twice.sim.run().outcome.kind).toBe('ok');
    expect(twice.q.metrics.snapshot().vmWidePauses).toBe(12);
    const once = boot(validateStrategy(pausing, 'p.mjs'), 1).vm;
    expect(once.sim.run().outcome.kind).toBe('ok');
    expect(once.q.metrics.snapshot().vmWidePauses).toBe(6);
  });

  it('rejects wrong shapes with one message naming the module and the field', () => {
    const bad: [unknown, RegExp][] = [
      [undefined, /^m\.mjs: the default export must be a strategy object .*got nothing \(undefined\)$/],
      [42, /got 42$/],
      [{ ...viaApi, name: 'Rfc V6' }, /"name" must be a short lowercase name/],
      [{ ...viaApi, name: 'rfc-v6' }, /"name" "rfc-v6" is a built-in strategy's; choose another/],
      [{ ...viaApi, description: 3 }, /"description" must be a string; got 3/],
      [{ ...viaApi, blockerEarlyReturn: 'yes' }, /"blockerEarlyReturn" must be true, false or absent/],
      [{ name: 'x', description: '', source: '' }, /"resetIccCtlr" must be a generator function \(function\*\); got nothing/],
      [{ ...viaApi, onRealize: 1 }, /"onRealize" must be a function or absent; got 1/],
    ];
    for (const [value, message] of bad) {
      expect(() => validateStrategy(value, 'm.mjs')).toThrow(StrategyShapeError);
      expect(() => validateStrategy(value, 'm.mjs')).toThrow(message);
    }
  });

  it('a hook that throws, or is not a generator, ends the run with StrategyRuntimeError naming the module', () => {
    const throwing = validateStrategy(
      {
        name: 'boom',
        description: '',
        source: '',
        *resetIccCtlr() {
          throw new RangeError('no cache');
        },
      },
      'boom.mjs',
    );
    const plain = validateStrategy({ name: 'plain', description: '', source: '', resetIccCtlr: () => 0 }, 'plain.mjs');
    for (const [s, msg] of [
      [throwing, 'boom.mjs: resetIccCtlr threw during a run: RangeError: no cache'],
      [plain, 'plain.mjs: resetIccCtlr must be a generator function (function*) that yields only through ctx.api; it returned 0'],
    ] as const) {
      const { vm } = boot(s);
      let caught: unknown;
      try {
        vm.sim.run();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(SimModelError);
      const cause = (caught as SimModelError).cause;
      expect(cause).toBeInstanceOf(StrategyRuntimeError);
      expect((cause as Error).message).toBe(msg);
    }
  });

  it('api.abort ends the run as a QEMU abort, not as a design error', () => {
    const aborting = validateStrategy(
      {
        name: 'aborter',
        description: '',
        source: '',
        *resetIccCtlr({ api }: StrategyContext) {
          const r = yield* api.readIccCtlr({ gicrTyper: 0xffn << 32n } as unknown as GicCpuState, null);
          api.abort(`read failed: ${r.ret}`);
        },
      },
      'a.mjs',
    );
    const { vm } = boot(aborting);
    const r = vm.sim.run();
    expect(r.outcome.kind).toBe('abort');
  });
});
