// Test support: the thread most kernel tests start with, one that takes a mutex, holds it for a while and
// lets it go, so that another thread meets it held.
import type { Mutex, SimThread } from './objects.js';
import type { Simulator } from './sim.js';

/** Spawns `name`: lock(m) at t = 0, sleep `holdNs`, unlock(m). */
export function spawnHolder(sim: Simulator, m: Mutex, holdNs: number, name = 'holder'): SimThread {
  return sim.spawn(name, function* () {
    yield* sim.lock(m);
    yield* sim.sleep(holdNs);
    sim.unlock(m);
  });
}
