// Toy runners for the explorer tests: small kvm-sim programs with genuine races, a non-zero scheduling
// window (so the order of steps that fall close together is a choice) and a few barging-mutex wakes and
// duration ranges (so every choice kind shows up). Not part of the package build (tsconfig.build.json
// excludes test-*.ts).
import { type ChoiceSource, Mutex, type Outcome, Simulator } from '@vgicsim/kvm-sim';
import type { Runner, ScheduleRun } from './types.js';

export type ToyProgram = 'lock-order' | 'lost-update' | 'race-free';

/** Scheduling window of every toy: steps within 60 ns of the earliest one may go first. */
export const TOY_WINDOW_NS = 60;

export function toyRunner(program: ToyProgram): Runner {
  return (choice: ChoiceSource): ScheduleRun => {
    const sim = new Simulator({
      choice,
      windowNs: TOY_WINDOW_NS,
      stepBudget: 10_000,
      costs: { mutexFastPathNs: [30, 50], futexWakeNs: [100, 140] },
    });
    const build = program === 'lock-order' ? lockOrder : program === 'lost-update' ? lostUpdate : raceFree;
    build(sim);
    const r = sim.run();
    return toScheduleRun(r.outcome, r.traceHash, r.choices, r.choiceKinds);
  };
}

function toScheduleRun(outcome: Outcome, traceHash: string, choices: ScheduleRun['choices'], choiceKinds: ScheduleRun['choiceKinds']): ScheduleRun {
  const name = outcome.kind === 'stopped' ? outcome.verdict : outcome.kind;
  const message = outcome.kind === 'ok' ? '' : outcome.message;
  return { outcome: name, failed: name !== 'ok', message, traceHash, choices: [...choices], choiceKinds: [...choiceKinds] };
}

/**
 * ta takes A then B, tb takes B then A, tc briefly takes A. tb starts late enough that most orders let ta
 * finish first (ok); only when tc and the wake-ups delay ta long enough does ta hold A while tb holds B
 * (deadlock): about one seed in fifteen.
 */
function lockOrder(sim: Simulator): void {
  const a = new Mutex('A');
  const b = new Mutex('B');
  sim.spawn('ta', function* () {
    yield* sim.sleep(100);
    yield* sim.lock(a);
    yield* sim.sleep(50);
    yield* sim.lock(b);
    sim.unlock(b);
    sim.unlock(a);
  });
  sim.spawn('tb', function* () {
    yield* sim.sleep(400);
    yield* sim.lock(b);
    yield* sim.sleep(50);
    yield* sim.lock(a);
    sim.unlock(a);
    sim.unlock(b);
  });
  sim.spawn('tc', function* () {
    yield* sim.sleep(120);
    yield* sim.lock(a);
    yield* sim.sleep(10);
    sim.unlock(a);
  });
}

/** Two increments by each of two threads, read and write split by a scheduling point: updates can be lost. */
function lostUpdate(sim: Simulator): void {
  let x = 0;
  const local = [0, 0];
  sim.fingerprintContributors.push(() => `${x}/${local.join(',')}`);
  const workers = [0, 1].map((i) =>
    sim.spawn(`w${i}`, function* () {
      yield* sim.sleep(100 + 240 * i);
      for (let k = 0; k < 2; k++) {
        local[i] = x;
        yield* sim.schedPoint(20);
        x = (local[i] ?? 0) + 1;
        sim.emit('write', { x });
        yield* sim.sleep(150);
      }
    }),
  );
  sim.spawn('check', function* () {
    for (const w of workers) yield* sim.join(w);
    if (x !== 4) sim.stop({ kind: 'stopped', verdict: 'lost-update', message: `x = ${x} after 4 increments` });
  });
}

/** Like lostUpdate with one increment each, but under a mutex: every order ends ok. */
function raceFree(sim: Simulator): void {
  let x = 0;
  const m = new Mutex('M');
  sim.fingerprintContributors.push(() => String(x));
  const workers = [0, 1].map((i) =>
    sim.spawn(`w${i}`, function* () {
      yield* sim.sleep(100 + 10 * i);
      yield* sim.lock(m);
      const v = x;
      yield* sim.schedPoint(20);
      x = v + 1;
      sim.unlock(m);
    }),
  );
  sim.spawn('check', function* () {
    for (const w of workers) yield* sim.join(w);
    if (x !== 2) sim.stop({ kind: 'stopped', verdict: 'lost-update', message: `x = ${x} after 2 increments` });
  });
}
