// Text form of an exploration report (explore, merge).
import type { ExploreReport } from '@vgicsim/scenarios';

export function formatReport(report: ExploreReport, files: readonly string[] = []): string {
  const shard = report.shards.count > 1 ? `, shards ${report.shards.indices.join(',')} of ${report.shards.count}` : '';
  const lines = [
    `explored ${report.schedules} schedule(s) of ${report.scenario} under ${report.strategy} (${report.mode}, seeds from ${report.seedStart}${report.scenarioSeeds.length > 1 ? `, scenario seeds ${report.scenarioSeeds.join(',')}` : ''}${shard}) in ${(report.wallMs / 1000).toFixed(1)} s`,
    `outcomes: ${Object.entries(report.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ];
  if (report.interrupted) lines.push(`INTERRUPTED: partial report (${report.schedules} of ${report.budget} schedules budgeted)`);
  if (report.failures.length === 0) lines.push('no failure found');
  report.failures.forEach((x, i) => {
    const unshrunk = x.shrunk ? '' : ' [not shrunk]';
    lines.push(`${x.outcome} ×${x.occurrences}${x.seed === null ? '' : ` (first at seed ${x.seed}${report.scenarioSeeds.length > 1 ? `, scenario seed ${x.scenarioSeed}` : ''})`}${unshrunk}: ${x.message}`);
    const file = files[i];
    if (file !== undefined) lines.push(`  replay: vgicsim replay ${file}`);
  });
  return lines.join('\n');
}
