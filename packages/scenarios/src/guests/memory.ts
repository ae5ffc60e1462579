// The guest's RAM as the model sees it: what the guest's CPUs share, and what scenarios read back (who came
// online, CPU_ON latencies, failures). It is not cleared by resets, as RAM is not.

/** Work the boot CPU does after boot, queued by the scenario (like a test script running in the guest). */
export type GuestTask =
  | { readonly kind: 'cycle'; readonly cpu: number }
  | { readonly kind: 'online'; readonly cpu: number }
  | { readonly kind: 'offline'; readonly cpu: number }
  | { readonly kind: 'compute'; readonly ns: number }
  | { readonly kind: 'reboot' }
  | { readonly kind: 'poweroff' };

export interface CpuOnResult {
  readonly cpu: number;
  readonly ret: number;
  readonly time: number;
}

export class GuestMemory {
  online: boolean[];
  offlineReq: boolean[];
  ejected: boolean[];
  readonly gicInits: number[];
  readonly cpuOnIssuedAt: (number | undefined)[];
  readonly cpuOnLatenciesNs: number[] = [];
  readonly cpuOnResults: CpuOnResult[] = [];
  readonly failures: string[] = [];
  readonly tasks: GuestTask[] = [];
  /** Boots started (0 = the first boot). */
  boot = 0;
  bootsCompleted = 0;
  bootDone = false;
  rebootRequested = false;
  poweredOff = false;
  cyclesDone = 0;
  /** Times the boot CPU resumed at its entry without a reboot (after a migration). */
  resumes = 0;

  constructor(readonly cpus: number) {
    this.online = Array<boolean>(cpus).fill(false);
    this.offlineReq = Array<boolean>(cpus).fill(false);
    this.ejected = Array<boolean>(cpus).fill(false);
    this.gicInits = Array<number>(cpus).fill(0);
    this.cpuOnIssuedAt = Array<number | undefined>(cpus).fill(undefined);
  }

  /** A reboot: the new kernel starts with every secondary offline. */
  newBoot(): void {
    this.boot++;
    this.rebootRequested = false;
    this.bootDone = false;
    this.online = Array<boolean>(this.cpus).fill(false);
    this.offlineReq = Array<boolean>(this.cpus).fill(false);
  }
}
