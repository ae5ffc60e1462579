// Text form of an exploration report (explore, merge).
import type { ExploreReport } from '@vgicsim/scenarios';

export function formatReport(report: ExploreReport, files: readonly string[] = []): string {
  const shard = report.shards.count > 1 ? `, shards ${report.shards.indices.join(',')} of ${report.shards.count}` : '';
  const lines = [
    `explored ${report.schedules} schedule(s) of ${report.scenario} under ${report.strategy} (${report.mode}, seeds from ${report.seedStart}${report.scenarioSeeds.length > 1 ? `, scenario seeds ${report.scenarioSeeds.join(',')}` : ''}${shard}) in ${(report.wallMs / 1000).toFixed(1)} s`,
    `outcomes: ${Object.entries(report.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (report.interrupted) lines.push(`INTERRUPTED: partial report (${report.schedules} of ${report.budget} schedules budgeted)`);
  lines.push(verdictLine(report));
  report.failures.forEach((x, i) => {
    const unshrunk = x.shrunk ? '' : ' [not shrunk]';
    lines.push(`${x.outcome} ×${x.occurrences}${x.seed === null ? '' : ` (first at seed ${x.seed}${report.scenarioSeeds.length > 1 ? `, scenario seed ${x.scenarioSeed}` : ''})`}${unshrunk}: ${x.message}`);
    const file = files[i];
    if (file !== undefined) lines.push(`  replay: vgicsim replay ${file}`);
  });
  return lines.join('\n');
}

/**
 * What the exploration established. Only an exhaustive search that ran out of schedules may say
 * "verified", and it says within which bounds; one cut short says it is incomplete.
 */
export function verdictLine(report: ExploreReport): string {
  const n = report.schedules;
  const found = report.failures.length;
  const failures = `${found} distinct failure(s)`;
  if (report.mode !== 'exhaustive') return found === 0 ? `no failure found in ${n} schedule(s) (a sample, not a proof)` : `${failures} in ${n} schedule(s)`;
  const within = `within the scheduling window (first ${report.exhaustiveBound ?? '?'} choice points branching)`;
  const cut = reductionText(report);
  if (report.exhausted === true) return `completed: all ${n} schedules ${within} explored${cut}: ${found === 0 ? 'verified' : failures}`;
  return `exhaustive search INCOMPLETE: ${cutBy(report)} after ${n} schedule(s) ${within}${cut}; ${found === 0 ? 'no failure among them, nothing verified' : failures}`;
}

/**
 * What stopped an unfinished exhaustive search. The report does not carry --stop-on-first, but only it ends
 * a search that is neither interrupted nor out of budget, and only once a failure is found (the CLI refuses
 * it with shards, whose budget is a share).
 */
function cutBy(report: ExploreReport): string {
  if (report.interrupted) return 'cut by a stop signal';
  if (report.failures.length > 0 && report.schedules < report.budget && report.shards.count === 1) return 'cut by --stop-on-first at the first failure';
  return `cut by --budget ${report.budget}`;
}

/** What the exhaustive search's reduction cut (nothing for reports without one). */
function reductionText(report: ExploreReport): string {
  const r = report.reduction ?? null;
  const p = report.pruned ?? null;
  if (r === null || p === null) return '';
  if (r === 'none') return ', no reduction';
  const parts: string[] = [];
  if (r.endsWith('state-hash')) parts.push(`${p.statePruned} choice points pruned by state hash (a heuristic)`);
  if (r.startsWith('sleep-sets')) parts.push(`${p.sleepSkipped} alternatives and ${p.sleepBlocked} redundant runs cut by sleep sets`);
  return `, reduction ${r}: ${parts.join(', ')}`;
}
