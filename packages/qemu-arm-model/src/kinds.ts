// Named kinds the QEMU model reports, in a leaf module so the modules that report them and the trace
// vocabulary that carries them can share one definition without importing each other.

/** Why a system reset or shutdown was requested (QAPI ShutdownCause, as the model names them). */
export type ShutdownCause = 'none' | 'host-qmp-system-reset' | 'guest-reset' | 'guest-shutdown' | 'host-signal';

/** What a hazard check found (Hazards.report); a `violation` trace event carries one. */
export type HazardKind =
  /** cpu_resume(X) while X's own thread waits in pause_all_vcpus: X can never set `stopped` again. */
  | 'stranded-pauser'
  /** resume_all_vcpus while another thread is still inside pause_all_vcpus. */
  | 'resume-during-pause'
  /** The BQL held across a sleep longer than the configured bound (the RFC's 50 µs retries). */
  | 'bql-held-across-sleep'
  /** A KVM GIC access with error_abort while a vCPU mutex is held: in QEMU that is an abort. */
  | 'device-ioctl-while-vcpu-runs'
  /** The correctness oracle: a reset installed an ICC_CTLR_EL1 whose RO fields differ from the host's. */
  | 'icc-ctlr-ro-mismatch'
  /** A thread (main, migration, …) that can never leave pause_all_vcpus by itself: the verdict `hang`. */
  | 'hang'
  /** A pauser sleeps on qemu_pause_cond while every vCPU is stopped: the wake-up it waits for has passed. */
  | 'lost-wakeup'
  /** A vCPU counted as stopped while still inside kvm_cpu_exec, with a pauser that can then go on. */
  | 'vcpu-stopped-while-running'
  /** A vCPU enters KVM_RUN while the runstate is not running and nobody is pausing (outside upstream's windows). */
  | 'vcpu-runs-while-stopped';

/** What made a CPU reset install an ICC_CTLR_EL1 value (the oracle's record of each reset). */
export type ResetTrigger =
  | 'machine-creation'
  | 'system-reset'
  | 'psci-cpu-on'
  | 'arm-reset-cpu'
  | 'device-set'
  | 'cpu-realize'
  | 'migration';

/** Which ICC_CTLR_EL1 cache of the RFC v6 design a lookup used (the patch's two per-CPU caches). */
export type IccCtlrCacheKind = 'arch-def' | 'configured';

/** MigrationState.state as far as the model goes, plus `finished` once migration_iteration_finish is done. */
export type MigrationStatus = 'setup' | 'active' | 'device' | 'completed' | 'finished';
