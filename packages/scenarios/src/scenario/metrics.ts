// Metrics of a run across its QEMU processes (a migration has a source and a destination).
import type { ArmVm } from '@vgicsim/qemu-arm-model';
import type { GuestMemory } from '../guests/memory.js';
import type { OracleSummary, ScenarioMetrics, Stat } from './types.js';

export function stat(values: readonly number[]): Stat {
  if (values.length === 0) return { median: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
  return { median, max: sorted[sorted.length - 1] ?? 0 };
}

export function collectMetrics(vms: readonly ArmVm[], mem: GuestMemory): ScenarioMetrics {
  const snaps = vms.map((vm) => vm.q.metrics.snapshot());
  const ioctls: Record<string, Record<string, number>> = {};
  for (const s of snaps) {
    for (const [name, results] of Object.entries(s.ioctls)) {
      const into = (ioctls[name] ??= {});
      for (const [r, n] of Object.entries(results)) into[r] = (into[r] ?? 0) + n;
    }
  }
  const ebusy = Object.values(ioctls).reduce((sum, r) => sum + (r['-EBUSY'] ?? 0), 0);
  return {
    vmWidePauses: snaps.reduce((s, m) => s + m.vmWidePauses, 0),
    pauseCalls: snaps.reduce((s, m) => s + m.pauseCalls, 0),
    pauseLatencyNs: stat(snaps.flatMap((m) => m.pauseLatenciesNs)),
    ebusy,
    ioctls,
    cpuOnLatencyNs: stat(mem.cpuOnLatenciesNs),
    vcpuStoppedNs: {
      total: snaps.reduce((s, m) => s + m.vcpuStoppedNs.total, 0),
      max: Math.max(0, ...snaps.map((m) => m.vcpuStoppedNs.max)),
    },
    bqlMaxHoldNs: Math.max(0, ...snaps.map((m) => m.bqlMaxHoldNs)),
    kicks: snaps.reduce((s, m) => s + m.kicks, 0),
  };
}

export function summarizeOracle(vms: readonly ArmVm[]): OracleSummary {
  const records = vms.flatMap((vm) => vm.board.oracle.records);
  return {
    records,
    // A migration load installs the source's value on purpose: the guest's own CBPR/EOImode (and, across
    // hosts, the source's RO fields, which KVM's write checks judge) are what must arrive, not a reset value.
    roMismatches: records.filter((r) => r.roMismatch && r.trigger !== 'migration').length,
    carriedGuestConfig: records.filter((r) => r.carriesGuestConfig && r.trigger !== 'migration').length,
  };
}
