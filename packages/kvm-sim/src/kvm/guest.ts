// The guest-program interface: what a vCPU executes inside KVM_RUN. The scenarios package implements the
// programs (Linux-like boot, parallel bring-up, …); this package only runs them, one action at a time.

/** ICC system registers a guest can access without trapping (they hit the ICV registers in hardware). */
export type GuestIccReg =
  | 'ICC_CTLR_EL1'
  | 'ICC_PMR_EL1'
  | 'ICC_BPR0_EL1'
  | 'ICC_BPR1_EL1'
  | 'ICC_IGRPEN0_EL1'
  | 'ICC_IGRPEN1_EL1'
  | 'ICC_SRE_EL1';

export type GuestAction =
  /** Run guest code for `ns`; an IPI or kick interrupts it (the rest is resumed after the exit). */
  | { readonly op: 'compute'; readonly ns: number }
  /** HVC or SMC with x0..x3; the result is the x0 the guest sees afterwards. */
  | { readonly op: 'hvc' | 'smc'; readonly x: readonly [bigint, bigint, bigint, bigint] }
  /** Wait for an interrupt; ends on an SGI to this vCPU or after `timeoutNs` (its timer). */
  | { readonly op: 'wfi'; readonly timeoutNs?: number }
  | { readonly op: 'msr'; readonly reg: GuestIccReg; readonly value: bigint }
  | { readonly op: 'mrs'; readonly reg: GuestIccReg }
  /** Send an SGI (an IPI) to vCPU `target`, waking it from WFI. */
  | { readonly op: 'sgi'; readonly target: number };

/** What an action returns to the guest: x0 for hvc/smc, the value for mrs, nothing otherwise. */
export type GuestResult = bigint | undefined;

export type GuestCode = Generator<GuestAction, void, GuestResult>;

/** What a guest program sees of the vCPU it runs on. */
export interface GuestCpu {
  readonly index: number;
  readonly mpidr: bigint;
  /** Virtual time now, in ns (the guest's counter). */
  readonly now: () => number;
}

export interface GuestProgram {
  readonly name: string;
  /**
   * Starts the code a vCPU runs from entry point `pc` with `x0` (a reset or PSCI CPU_ON sets both).
   * Called again whenever the vCPU is reset, so the program must keep cross-CPU state (its "memory")
   * itself.
   */
  start(cpu: GuestCpu, pc: bigint, x0: bigint): GuestCode;
}

/** A guest that idles in WFI forever: the default for vCPUs nobody gave a program. */
export const IDLE_GUEST: GuestProgram = {
  name: 'idle',
  *start(): GuestCode {
    for (;;) yield { op: 'wfi' };
  },
};
