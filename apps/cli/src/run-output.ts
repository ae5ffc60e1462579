// Text form of one run, shared by `run` and `replay`.
import type { ScenarioResult } from '@vgicsim/scenarios';
import { EXIT_FAILURE_FOUND, EXIT_OK } from './errors.js';
import { formatNs } from './format.js';
import type { CliIo } from './io.js';

/** 0 only when the run is ok, no invariant was violated and every restored ICC_CTLR_EL1 was right. */
export function runExitCode(r: ScenarioResult): number {
  const oracleClean = r.oracle.roMismatches === 0 && r.oracle.carriedGuestConfig === 0;
  return r.outcome === 'ok' && r.violations.length === 0 && oracleClean ? EXIT_OK : EXIT_FAILURE_FOUND;
}

/** The oracle's verdict next to the outcome, so an OK run that restored a wrong value does not read as clean. */
function oracleHeadline(r: ScenarioResult): string {
  const o = r.oracle;
  if (o.roMismatches === 0 && o.carriedGuestConfig === 0) return '';
  const parts = [o.roMismatches > 0 ? `${o.roMismatches} with wrong RO fields` : '', o.carriedGuestConfig > 0 ? `${o.carriedGuestConfig} carrying a previous guest configuration` : ''];
  return `, WRONG VALUE RESTORED (oracle: ${parts.filter((p) => p !== '').join(', ')})`;
}

export function printRunText(io: CliIo, r: ScenarioResult): void {
  const m = r.metrics;
  const params = Object.entries(r.params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const lines = [
    `${r.scenario} under ${r.strategy} (${r.lockPolicy}, host ${r.host}, seed ${r.seed}): ${r.outcome.toUpperCase()}${oracleHeadline(r)}`,
    ...(r.message === '' ? [] : [`  ${r.message}`]),
    `  params: ${params}`,
    `  VM-wide pauses ${m.vmWidePauses} (pause_all_vcpus calls ${m.pauseCalls}, latency median ${formatNs(m.pauseLatencyNs.median)}, max ${formatNs(m.pauseLatencyNs.max)})`,
    `  CPU_ON latency median ${formatNs(m.cpuOnLatencyNs.median)}, max ${formatNs(m.cpuOnLatencyNs.max)}; vCPU time stopped ${formatNs(m.vcpuStoppedNs.total)} (max ${formatNs(m.vcpuStoppedNs.max)})`,
    `  EBUSY results ${m.ebusy}; BQL longest hold ${formatNs(m.bqlMaxHoldNs)}; kicks ${m.kicks}`,
    `  guest: ${r.guest.bootsCompleted} boot(s), ${r.guest.cyclesDone} cycle(s), online ${r.guest.online.map((o) => (o ? '1' : '0')).join('')}${r.guest.failures.length > 0 ? `; ${r.guest.failures.join('; ')}` : ''}`,
    `  oracle: ${r.oracle.records.length} resets, ${r.oracle.roMismatches} with wrong RO fields, ${r.oracle.carriedGuestConfig} carrying a previous guest configuration`,
  ];
  if (r.violations.length > 0) {
    lines.push(`  violations (${r.violations.length}):`);
    for (const v of r.violations.slice(0, 20)) lines.push(`    t=${v.time} ns ${v.thread}: ${v.kind}: ${v.message}`);
    if (r.violations.length > 20) lines.push(`    … ${r.violations.length - 20} more (use --json)`);
  }
  lines.push(`  virtual time ${formatNs(r.virtualTimeNs)}, ${r.steps} steps, ${r.choiceCount} choices, trace hash ${r.traceHash}`);
  io.stdout(lines.join('\n'));
}
