// The scenario suites by name.
import { ScenarioInputError } from '../scenario/params.js';
import type { Suite } from '../scenario/types.js';
import { BOOT } from './boot.js';
import { DEVICE_SET } from './device-set.js';
import { FOREIGN_HOLDER } from './foreign-holder.js';
import { HOTPLUG_CHURN } from './hotplug-churn.js';
import { MIGRATION } from './migration.js';
import { PARALLEL_CPU_ON } from './parallel-cpu-on.js';
import { REBOOT_LOOP } from './reboot-loop.js';
import { STOP_CONT } from './stop-cont.js';

export const SUITES: readonly Suite[] = [BOOT, HOTPLUG_CHURN, PARALLEL_CPU_ON, REBOOT_LOOP, MIGRATION, DEVICE_SET, STOP_CONT, FOREIGN_HOLDER];

export function findSuite(name: string): Suite {
  const s = SUITES.find((x) => x.name === name);
  if (s === undefined) throw new ScenarioInputError('unknown scenario', SUITES.map((x) => x.name).join(', '), name);
  return s;
}

export { BOOT, DEVICE_SET, FOREIGN_HOLDER, HOTPLUG_CHURN, MIGRATION, PARALLEL_CPU_ON, REBOOT_LOOP, STOP_CONT };
