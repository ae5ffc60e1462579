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
import { DEVICE_SET_DURING_REBOOT } from './device-set-during-reboot.js';
import { RESET_DURING_CPU_ON } from './reset-during-cpu-on.js';
import { RESET_DURING_HOTPLUG } from './reset-during-hotplug.js';
import { RESET_DURING_MIGRATION } from './reset-during-migration.js';
import { STOP_DURING_PAUSE } from './stop-during-pause.js';

export const SUITES: readonly Suite[] = [BOOT, HOTPLUG_CHURN, PARALLEL_CPU_ON, REBOOT_LOOP, MIGRATION, DEVICE_SET, STOP_CONT, FOREIGN_HOLDER,
  // Resets that overlap something else (issue 14); small, so the default matrix stays quick.
  RESET_DURING_CPU_ON, RESET_DURING_HOTPLUG, DEVICE_SET_DURING_REBOOT, RESET_DURING_MIGRATION, STOP_DURING_PAUSE,
];

export function findSuite(name: string): Suite {
  const s = SUITES.find((x) => x.name === name);
  if (s === undefined) throw new ScenarioInputError('unknown scenario', SUITES.map((x) => x.name).join(', '), name);
  return s;
}

export {
  BOOT,
  DEVICE_SET,
  DEVICE_SET_DURING_REBOOT,
  FOREIGN_HOLDER,
  HOTPLUG_CHURN,
  MIGRATION,
  PARALLEL_CPU_ON,
  REBOOT_LOOP,
  RESET_DURING_CPU_ON,
  RESET_DURING_HOTPLUG,
  RESET_DURING_MIGRATION,
  STOP_CONT,
  STOP_DURING_PAUSE,
};
