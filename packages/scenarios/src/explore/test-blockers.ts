// A kvm-sim program for the sleep-set tests where steps provably commute: a holder takes K mutexes, then
// K waiters become runnable at the same instant (window 0: only exact ties are choices) and each blocks on its own mutex (same queued time, same
// instant, different objects: independent). The run's message is the final state — every mutex's order
// of owners, the end time and the kernel fingerprint — so that tests compare final states, not only
// outcomes. Not part of the package build (tsconfig.build.json excludes test-*.ts).
import { type ChoiceSource, Mutex, Simulator } from '@vgicsim/kvm-sim';
import type { Runner, ScheduleRun } from './types.js';

/** `shared`: the first two waiters lock the same mutex (dependent steps), the others their own. */
export function blockersRunner(k: number, shared = false): Runner {
  return (choice: ChoiceSource): ScheduleRun => {
    const sim = new Simulator({ choice, windowNs: 0, stepBudget: 10_000, trace: 'hash' });
    const mutexes = Array.from({ length: k }, (_, i) => new Mutex(`M${i}`));
    const owners: string[][] = mutexes.map(() => []);
    sim.spawn('holder', function* () {
      for (const m of mutexes) yield* sim.lock(m);
      yield* sim.sleep(1000);
      // Released 100 ns apart: the waiters wake at distinct times, so only the first phase has ties.
      for (const m of mutexes) {
        sim.unlock(m);
        yield* sim.sleep(100);
      }
    });
    for (let i = 0; i < k; i++) {
      const idx = shared && i === 1 ? 0 : i;
      const m = mutexes[idx] as Mutex;
      sim.spawn(`w${i}`, function* () {
        yield* sim.sleep(299 - i);
        yield* sim.lock(m);
        (owners[idx] as string[]).push(`w${i}`);
        sim.unlock(m);
      }, { delayNs: 1 + i });
    }
    const r = sim.run();
    const state = `${owners.map((o) => o.join('>')).join('|')} @${r.now} ${sim.fingerprint()}`;
    return { outcome: r.outcome.kind, failed: false, message: state, traceHash: r.traceHash, choices: [...r.choices], choiceKinds: [...r.choiceKinds] };
  };
}

/** A runner whose first choice points are answered from `prefix`; the explorer's source answers the rest. */
export function prefixedRunner(inner: Runner, prefix: readonly number[]): Runner {
  return (choice: ChoiceSource) => {
    let pos = 0;
    const wrapped: ChoiceSource = {
      choose: (point) => (pos < prefix.length ? (prefix[pos++] as number) : choice.choose(point)),
      ...(choice.attach === undefined ? {} : { attach: choice.attach.bind(choice) }),
      ...(choice.onStep === undefined ? {} : { onStep: choice.onStep.bind(choice) }),
    };
    return inner(wrapped);
  };
}
