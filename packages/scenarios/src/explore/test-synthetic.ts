// A synthetic runner for tests that need exact control over the choice points: it asks a fixed sequence
// of choice points (no simulator) and decides failure with a predicate over the answers.
import type { ChoiceKind, ChoiceSource } from '@vgicsim/kvm-sim';
import type { Runner, ScheduleRun } from './types.js';

export interface SyntheticPoint {
  readonly kind: ChoiceKind;
  readonly n: number;
  readonly ids?: readonly number[];
}

export function syntheticRunner(points: readonly SyntheticPoint[], fails: (answers: readonly number[]) => boolean): Runner {
  return (choice: ChoiceSource): ScheduleRun => {
    const answers: number[] = [];
    points.forEach((p, index) => {
      const ids = p.ids ?? (p.kind === 'duration' ? [] : Array.from({ length: p.n }, (_, i) => i));
      answers.push(choice.choose({ kind: p.kind, n: p.n, ids, index, time: index, fingerprint: () => answers.join(',') }));
    });
    const failed = fails(answers);
    return {
      outcome: failed ? 'synthetic-failure' : 'ok',
      failed,
      message: failed ? `answers ${answers.join(',')}` : '',
      traceHash: answers.join('.'),
      choices: answers,
      choiceKinds: points.map((p) => p.kind),
    };
  };
}
