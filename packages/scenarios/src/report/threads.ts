// Thread-name conventions of the QEMU model: vCPU threads are `CPU n/KVM` and the main thread `main`, both
// optionally prefixed by the process (`src:` / `dst:` in a migration). Events that name a CPU by index
// (cpu-resume {cpu}) are resolved to a thread through these names.
import { BQL_MUTEX } from '@vgicsim/qemu-arm-model';

const VCPU_NAME = /^(.*)CPU (\d+)\/KVM$/;
const MAIN_NAME = /^(.*)main$/;

/** The process prefix of a thread name (`src:` for `src:CPU 1/KVM`), '' when it has none. */
export function processPrefix(name: string): string {
  const m = VCPU_NAME.exec(name) ?? MAIN_NAME.exec(name);
  return m?.[1] ?? '';
}

/** The vCPU index of a `CPU n/KVM` thread, or null for any other thread. */
export function vcpuIndexOf(name: string): number | null {
  const m = VCPU_NAME.exec(name);
  return m?.[2] === undefined ? null : Number(m[2]);
}

/** Maps names to thread ids; a name spawned again (a re-plugged vCPU) maps to the newest thread. */
export class ThreadDirectory {
  private readonly byName = new Map<string, number>();
  private readonly names: string[] = [];

  add(id: number, name: string): void {
    this.names[id] = name;
    this.byName.set(name, id);
  }

  name(id: number): string | undefined {
    return this.names[id];
  }

  idOf(name: string): number | undefined {
    return this.byName.get(name);
  }

  /**
   * The thread of vCPU `cpu` in the process of `emitter` (a resume by `src:main` targets `src:CPU n/KVM`).
   * When the emitter has no recognisable process (a helper thread), any unique `…CPU n/KVM` thread is taken.
   */
  vcpuThread(emitter: number, cpu: number): number | undefined {
    const emitterName = this.names[emitter];
    const direct = this.byName.get(`${emitterName === undefined ? '' : processPrefix(emitterName)}CPU ${cpu}/KVM`);
    if (direct !== undefined) return direct;
    let found: number | undefined;
    for (const [name, id] of this.byName) {
      if (vcpuIndexOf(name) !== cpu) continue;
      if (found !== undefined) return undefined;
      found = id;
    }
    return found;
  }
}

/** A mutex named BQL (one per simulated QEMU process; every process names its own `BQL`). */
export function isBql(mutex: string): boolean {
  return mutex === BQL_MUTEX || mutex.endsWith(`:${BQL_MUTEX}`);
}
