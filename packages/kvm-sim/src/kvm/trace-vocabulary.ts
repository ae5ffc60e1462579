// The simulated KVM's trace events: every kind the kvm/ modules emit, with its payload type (the
// kernel's own events are in kernel/trace-vocabulary.ts). Emit sites use `emitKvmEvent`, so a kind or a
// payload field that is not declared here is a type error.
import { type VocabularyEvent, defineVocabulary } from '../kernel/trace-vocabulary.js';
import type { GuestIccReg } from './guest.js';
import type { IoctlName } from './ioctl-args.js';

/** The simulated KVM's events, kind to payload. */
export type KvmEventPayloads = {
  /**
   * A thread enters an ioctl (kvm_vm_ioctl / kvm_vcpu_ioctl / kvm_device_ioctl). Device-attribute ioctls
   * carry the attribute; a CPU-interface system register access also its sysreg encoding (attr & 0xffff).
   */
  readonly 'ioctl-begin':
    | { readonly fd: number; readonly req: IoctlName }
    | { readonly fd: number; readonly req: IoctlName; readonly group: number; readonly attr: bigint }
    | { readonly fd: number; readonly req: IoctlName; readonly group: number; readonly attr: bigint; readonly sysreg: number };
  /** The ioctl returns: `ret` is `0`, a new fd, or an errno name such as `-EBUSY` (formatResult). */
  readonly 'ioctl-end': { readonly fd: number; readonly req: IoctlName; readonly ret: string };
  /** KVM_RUN starts a guest program on a vCPU (after a reset or on first entry). */
  readonly 'guest-start': { readonly vcpu: number; readonly program: string; readonly pc: bigint };
  /** The guest wrote an ICC system register. */
  readonly 'guest-msr': { readonly vcpu: number; readonly reg: GuestIccReg; readonly value: bigint };
  /** An SMCCC call forwarded to user space (KVM_EXIT_HYPERCALL). */
  readonly 'hypercall-exit': { readonly vcpu: number; readonly fn: string };
  /** kvm_reset_vcpu; `psci` when a pending PSCI CPU_ON reset supplied the entry point. */
  readonly 'vcpu-reset': { readonly vcpu: number; readonly pc: bigint; readonly psci: boolean };
  /** A PSCI call handled in the kernel (kvm_psci_call). */
  readonly 'psci-kernel': { readonly vcpu: number; readonly fn: string };
  /** KVM_DEV_ARM_VGIC_GRP_CTRL on the ITS device. */
  readonly 'vgic-its-ctrl': { readonly attr: number };
  /** vgic_init. */
  readonly 'vgic-init': { readonly vcpus: number; readonly nrIrqs: number };
  /** A lockless read of a vCPU's shadow state (the `lockless-shadow` lock policy). */
  readonly 'vgic-shadow-read': { readonly vcpu: number };
  readonly 'vgic-sysreg-set': { readonly vcpu: number; readonly reg: string; readonly value: bigint; readonly ret: number };
  readonly 'vgic-sysreg-get': { readonly vcpu: number; readonly reg: string; readonly value: bigint };
  /** A foreign kernel thread holds a vCPU mutex (spawnForeignHolder). */
  readonly 'foreign-hold': { readonly vcpu: number; readonly holdNs: number };
};

export type KvmEventKind = keyof KvmEventPayloads;
export type KvmTraceEvent = VocabularyEvent<KvmEventPayloads>;

/** The simulated KVM's vocabulary; `KVM_EVENT.ioctlBegin` etc. name its kinds for switches. */
export const KVM_VOCABULARY = defineVocabulary<KvmEventPayloads>()({
  ioctlBegin: 'ioctl-begin',
  ioctlEnd: 'ioctl-end',
  guestStart: 'guest-start',
  guestMsr: 'guest-msr',
  hypercallExit: 'hypercall-exit',
  vcpuReset: 'vcpu-reset',
  psciKernel: 'psci-kernel',
  vgicItsCtrl: 'vgic-its-ctrl',
  vgicInit: 'vgic-init',
  vgicShadowRead: 'vgic-shadow-read',
  vgicSysregSet: 'vgic-sysreg-set',
  vgicSysregGet: 'vgic-sysreg-get',
  foreignHold: 'foreign-hold',
});

export const { names: KVM_EVENT, kinds: KVM_EVENT_KINDS, emit: emitKvmEvent, has: isKvmEvent } = KVM_VOCABULARY;

/** The wait queue a vCPU sleeps on in KVM (WFI, or powered off): `vcpu<index>.wait` in `block` events. */
export function vcpuWaitQueueName(index: number): string {
  return `vcpu${index}.wait`;
}

const VCPU_WAIT_QUEUE = /^vcpu\d+\.wait$/;

/** Whether a queue name (a `block` or `wake` payload) is a vCPU's in-KVM wait queue. */
export function isVcpuWaitQueue(queue: string): boolean {
  return VCPU_WAIT_QUEUE.test(queue);
}
