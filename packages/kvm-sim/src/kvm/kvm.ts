// /dev/kvm for one simulated process: the fd table and the ioctl entry points (virt/kvm/kvm_main.c:
// kvm_vm_ioctl, kvm_vcpu_ioctl, kvm_device_ioctl), each a generator that blocks the calling thread the way
// the real ioctl would. Results are 0, a new fd, or a negative errno.
import { type HostProfile, CORTEX_A76, kvmDefaultMpidr, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS } from '@vgicsim/gicv3-regs';
import { HeldCounter, type Proc } from '../kernel/objects.js';
import { DoneCall, type OpCall } from '../kernel/op-call.js';
import type { Simulator } from '../kernel/sim.js';
import { HashedString } from '../kernel/trace.js';
import type { KvmContext } from './context.js';
import { type CostModel, DEFAULT_COST_MODEL, makeCostModel } from './cost-model.js';
import { EBADF, EBUSY, EEXIST, EFAULT, EINTR, EINVAL, EIO, ENODEV, ENOENT, ENOEXEC, ENOTTY, ENXIO, formatResult } from './errno.js';
import { type GuestProgram, IDLE_GUEST } from './guest.js';
import type { IoctlArgs, IoctlName, KvmCreateDevice, KvmMpState, KvmOneReg, KvmVcpuInit, VmDeviceAttr } from './ioctl-args.js';
import { kvmArchVcpuIoctlRun, kvmResetVcpu } from './kvm-run.js';
import { SmcccFilter } from './smccc-filter.js';
import { type KernelVersion, type LockPolicy, VcpuState, VmState } from './state.js';
import { type KvmEventPayloads, emitKvmEvent } from './trace-vocabulary.js';
import {
  KVM_ARM_VM_SMCCC_CTRL,
  KVM_ARM_VM_SMCCC_FILTER,
  KVM_DEV_TYPE_ARM_VGIC_ITS,
  KVM_DEV_TYPE_ARM_VGIC_V2,
  KVM_DEV_TYPE_ARM_VGIC_V3,
  KVM_MP_STATE_RUNNABLE,
  KVM_MP_STATE_STOPPED,
  KVM_MP_STATE_SUSPENDED,
  KVM_REG_ARM_CORE_BASE,
  KVM_REG_ARM_CORE_PC,
  KVM_REG_MPIDR_EL1,
  type KvmDeviceAttr,
  type KvmSmcccFilter,
} from './uapi.js';
import { kvmVgicCreate } from './vgic-init.js';
import { vgicV3GetAttr, vgicV3HasAttr, vgicV3SetAttr } from './vgic-kvm-device.js';
import { type VgicItsState, vgicItsCreate, vgicItsGetAttr, vgicItsHasAttr, vgicItsSetAttr } from './vgic-its.js';

export interface KvmOptions {
  readonly host?: HostProfile;
  readonly lockPolicy?: LockPolicy;
  readonly kernel?: KernelVersion;
  readonly costs?: Partial<CostModel>;
  readonly gicv2Compat?: boolean;
  /** KVM_MAX_VCPUS on arm64 with a GICv3 (VGIC_V3_MAX_CPUS). */
  readonly maxVcpus?: number;
}

export type { IoctlArgs, IoctlName, KvmCreateDevice, KvmMpState, KvmOneReg, KvmVcpuInit, VmDeviceAttr } from './ioctl-args.js';

type FdEntry =
  | { readonly kind: 'vm'; readonly vm: VmState }
  | { readonly kind: 'vcpu'; readonly vm: VmState; readonly vcpu: VcpuState }
  | { readonly kind: 'device'; readonly vm: VmState }
  | { readonly kind: 'its'; readonly vm: VmState; readonly its: VgicItsState };

/** Ioctl results by name, e.g. counts["KVM_GET_DEVICE_ATTR"]["-EBUSY"]; non-negative results count as "ok". */
export type IoctlCounts = Record<string, Record<string, number>>;

export class Kvm {
  readonly ctx: KvmContext;
  readonly host: HostProfile;
  readonly maxVcpus: number;
  /** Indexed by fd number (small, dense integers): a plain array lookup on every ioctl, not a Map's hash. */
  private readonly fds: (FdEntry | undefined)[] = [];
  private nextFd = 10;
  private readonly counts: IoctlCounts = {};
  private program: GuestProgram = IDLE_GUEST;
  private readonly vcpuMutexes = new HeldCounter();

  constructor(
    readonly sim: Simulator,
    options: KvmOptions = {},
  ) {
    this.host = options.host ?? CORTEX_A76;
    this.maxVcpus = options.maxVcpus ?? 512;
    const overrides = options.costs ?? {};
    const kernelKeys = Object.keys(overrides).filter((k) => k in sim.costs);
    if (kernelKeys.length > 0) {
      // One owner per duration: the kernel's own costs are set on the Simulator, or they would silently differ.
      throw new RangeError(`kernel costs (${kernelKeys.join(', ')}) are set with new Simulator({ costs }), not on Kvm`);
    }
    this.ctx = {
      sim,
      costs: makeCostModel(overrides, { ...DEFAULT_COST_MODEL, ...sim.costs }),
      ichVtr: this.host.ichVtr,
      lockPolicy: options.lockPolicy ?? 'all-vcpus',
      kernel: options.kernel ?? 'v6.16',
      gicv2Compat: options.gicv2Compat ?? false,
    };
  }

  /** KVM_CREATE_VM (no locks, no blocking: done once at start-up). */
  createVm(): number {
    return this.allocFd({ kind: 'vm', vm: new VmState() });
  }

  /** The guest program every vCPU created from now on runs. */
  setGuestProgram(program: GuestProgram): void {
    this.program = program;
  }

  /** Read access to the state behind a fd (tests, oracles and metrics; not an ioctl). */
  vmOf(fd: number): VmState {
    const e = this.fds[fd];
    if (e === undefined) throw new RangeError(`fd ${fd} is not open`);
    return e.vm;
  }

  /** The ITS behind an ITS device fd (tests and oracles; not an ioctl). */
  itsOf(fd: number): VgicItsState {
    const e = this.fds[fd];
    if (e?.kind !== 'its') throw new RangeError(`fd ${fd} is not an ITS device fd`);
    return e.its;
  }

  /**
   * How many vcpu->mutex of this KVM's vCPUs (every VM's) are held right now: 0 means no vCPU is inside a
   * vCPU ioctl or locked by a vGIC walk, which callers check on every device access before any scan.
   */
  get vcpuMutexesHeld(): number {
    return this.vcpuMutexes.held;
  }

  vcpuOf(fd: number): VcpuState {
    const e = this.fds[fd];
    if (e?.kind !== 'vcpu') throw new RangeError(`fd ${fd} is not a vCPU fd`);
    return e.vcpu;
  }

  ioctlCounts(): IoctlCounts {
    // A copy two levels deep (the same as structuredClone of these plain records, without its serializer:
    // metrics read it at the end of every run, i.e. once per explored schedule).
    const out: IoctlCounts = {};
    for (const req in this.counts) out[req] = { ...this.counts[req] };
    return out;
  }

  count(name: IoctlName, result: string): number {
    return this.counts[name]?.[result] ?? 0;
  }

  *ioctl<R extends IoctlName>(fd: number, req: R, arg: IoctlArgs[R]): Proc<number> {
    const sim = this.sim;
    const self = sim.self();
    sim.enterKernel(self);
    if (sim.tracing) traceIoctlBegin(sim, fd, req, arg);
    // The two commonest ioctls are written out here instead of in a generator of their own (every step of
    // the thread inside them would resume one more frame, and each call would allocate one): a vCPU ioctl
    // other than KVM_RUN, and a vGIC register set/get. Everything else, their error paths included, goes
    // through dispatch (vcpuRunIoctl, deviceIoctl, …). Same ops, same order as kvm_vcpu_ioctl/kvm_device_ioctl.
    const e = this.fds[fd];
    let ret: number;
    if (e?.kind === 'vcpu' && req !== 'KVM_RUN' && !e.vm.dead) {
      // kvm_vcpu_ioctl: vcpu->mutex (killable) around the ioctl.
      const vcpu = e.vcpu;
      const locked = yield* sim.lock(vcpu.mutex, 'killable');
      if (!locked) ret = -EINTR;
      else {
        yield* sim.sleep(sim.resolve(this.ctx.costs.vcpuIoctlNs), 'vcpu-ioctl');
        ret = this.vcpuIoctlBody(vcpu, req, arg);
        sim.unlock(vcpu.mutex);
      }
    } else if (e?.kind === 'device' && (req === 'KVM_SET_DEVICE_ATTR' || req === 'KVM_GET_DEVICE_ATTR') && arg !== null && !e.vm.dead) {
      // kvm_device_ioctl → vgic_v3_{set,get}_attr.
      const attr = arg as KvmDeviceAttr;
      yield* sim.sleep(sim.resolve(this.ctx.costs.deviceAttrBaseNs), 'device-attr');
      ret = yield* (req === 'KVM_SET_DEVICE_ATTR' ? vgicV3SetAttr(this.ctx, e.vm, attr) : vgicV3GetAttr(this.ctx, e.vm, attr));
    } else {
      ret = yield* this.dispatch(fd, req, arg);
    }
    const key = ret >= 0 ? 'ok' : formatResult(ret);
    const byName = (this.counts[req] ??= {});
    byName[key] = (byName[key] ?? 0) + 1;
    // ioctl-end { fd, req, ret }, hashed in place (see traceIoctlBegin).
    if (sim.tracing) sim.emitNSS(IOCTL_END, FD_KEY, fd, REQ_KEY, req, RET_KEY, formatResult(ret));
    sim.leaveKernel(self);
    return ret;
  }

  private allocFd(entry: FdEntry): number {
    const fd = this.nextFd++;
    this.fds[fd] = entry;
    return fd;
  }

  /**
   * Hands back the handler's own generator rather than delegating to it from one of its own: every step
   * of a thread inside an ioctl resumes each generator of its yield* chain. ioctl yield*s it at once.
   */
  private dispatch(fd: number, req: IoctlName, arg: unknown): OpCall<number> {
    const e = this.fds[fd];
    if (e === undefined) return result(-EBADF);
    if (e.vm.dead) return result(-EIO);
    switch (e.kind) {
      case 'vcpu':
        // Only KVM_RUN gets here (ioctl runs the others).
        return this.vcpuRunIoctl(e.vm, e.vcpu);
      case 'device':
        return this.deviceIoctl(e.vm, req, arg as KvmDeviceAttr | null);
      case 'its':
        return this.itsIoctl(e.vm, e.its, req, arg as KvmDeviceAttr | null);
      case 'vm':
        return this.vmIoctl(e.vm, req, arg);
    }
  }

  /** kvm_vm_ioctl. */
  private *vmIoctl(vm: VmState, req: IoctlName, arg: unknown): Proc<number> {
    const { sim, costs } = this.ctx;
    yield* sim.sleep(sim.resolve(costs.syscallNs), 'vm-ioctl');
    switch (req) {
      case 'KVM_CREATE_VCPU':
        return yield* this.createVcpu(vm, arg as number);
      case 'KVM_CREATE_DEVICE':
        return yield* this.createDevice(vm, arg as KvmCreateDevice);
      case 'KVM_SET_DEVICE_ATTR':
      case 'KVM_HAS_DEVICE_ATTR': {
        const a = arg as VmDeviceAttr | null;
        if (a === null) return -EFAULT;
        if (a.group !== KVM_ARM_VM_SMCCC_CTRL || a.attr !== BigInt(KVM_ARM_VM_SMCCC_FILTER)) return -ENXIO;
        if (req === 'KVM_HAS_DEVICE_ATTR') return 0;
        return yield* this.setSmcccFilter(vm, a.addr);
      }
      case 'KVM_GET_DEVICE_ATTR':
        // Not implemented on the VM fd: falls to kvm_arch_vm_ioctl's default.
        return -EINVAL;
      default:
        return -ENOTTY;
    }
  }

  /**
   * kvm_vm_ioctl_create_vcpu, errnos in upstream order: id ≥ KVM_MAX_VCPU_IDS → -EINVAL; under kvm->lock,
   * created_vcpus ≥ max_vcpus → -EINVAL, then arm64's precreate check (vGIC initialised → -EBUSY); the
   * duplicate id (-EEXIST) is only found after the vCPU was set up.
   */
  private *createVcpu(vm: VmState, id: number): Proc<number> {
    const { sim } = this.ctx;
    if (!Number.isInteger(id) || id < 0 || id >= this.maxVcpus) return -EINVAL;
    yield* sim.lock(vm.lock);
    let ret: number;
    if (vm.vcpus.length >= this.maxVcpus) ret = -EINVAL;
    else if (vm.vgic?.initialized === true) ret = -EBUSY;
    else if (vm.vcpus.some((v) => v.index === id)) ret = -EEXIST;
    else {
      const vcpu = new VcpuState(id, kvmDefaultMpidr(id), this.program, this.vcpuMutexes);
      vm.vcpus.push(vcpu);
      ret = this.allocFd({ kind: 'vcpu', vm, vcpu });
    }
    sim.unlock(vm.lock);
    return ret;
  }

  /** kvm_ioctl_create_device: kvm->lock around the device's create op. */
  private *createDevice(vm: VmState, arg: KvmCreateDevice): Proc<number> {
    const { sim } = this.ctx;
    if (arg.type === KVM_DEV_TYPE_ARM_VGIC_V2 && !this.ctx.gicv2Compat) return -ENODEV;
    if (arg.type !== KVM_DEV_TYPE_ARM_VGIC_V3 && arg.type !== KVM_DEV_TYPE_ARM_VGIC_V2 && arg.type !== KVM_DEV_TYPE_ARM_VGIC_ITS) {
      return -ENODEV;
    }
    if (arg.test === true) return 0;
    yield* sim.lock(vm.lock);
    if (arg.type === KVM_DEV_TYPE_ARM_VGIC_ITS) {
      const its = vgicItsCreate(vm);
      sim.unlock(vm.lock);
      arg.fd = this.allocFd({ kind: 'its', vm, its });
      return 0;
    }
    let ret: number;
    if (arg.type === KVM_DEV_TYPE_ARM_VGIC_V2) ret = vm.vgic !== null ? -EEXIST : -ENODEV;
    else ret = yield* kvmVgicCreate(this.ctx, vm);
    sim.unlock(vm.lock);
    if (ret < 0) return ret;
    arg.fd = this.allocFd({ kind: 'device', vm });
    return 0;
  }

  /** kvm_smccc_set_filter (kvm.md §9.2). */
  private *setSmcccFilter(vm: VmState, f: KvmSmcccFilter | null): Proc<number> {
    const { sim } = this.ctx;
    if (f === null) return -EFAULT;
    const invalid = SmcccFilter.validate(f);
    if (invalid !== 0) return invalid;
    yield* sim.lock(vm.configLock);
    const ret = vm.hasRanOnce ? -EBUSY : vm.filter.insert(f);
    sim.unlock(vm.configLock);
    return ret;
  }

  /** kvm_device_ioctl → vgic_v3_{set,get,has}_attr. No lock is taken at this level. */
  private *deviceIoctl(vm: VmState, req: IoctlName, attr: KvmDeviceAttr | null): Proc<number> {
    const { sim, costs } = this.ctx;
    if (req !== 'KVM_SET_DEVICE_ATTR' && req !== 'KVM_GET_DEVICE_ATTR' && req !== 'KVM_HAS_DEVICE_ATTR') return -ENOTTY;
    if (attr === null) return -EFAULT;
    // Set and get with an attr are written out in ioctl (the common path): only KVM_HAS_DEVICE_ATTR is left.
    yield* sim.sleep(sim.resolve(costs.deviceAttrBaseNs), 'device-attr');
    return vgicV3HasAttr(vm, attr);
  }

  /** kvm_device_ioctl → vgic_its_{set,get,has}_attr. */
  private *itsIoctl(vm: VmState, its: VgicItsState, req: IoctlName, attr: KvmDeviceAttr | null): Proc<number> {
    const { sim, costs } = this.ctx;
    if (req !== 'KVM_SET_DEVICE_ATTR' && req !== 'KVM_GET_DEVICE_ATTR' && req !== 'KVM_HAS_DEVICE_ATTR') return -ENOTTY;
    if (attr === null) return -EFAULT;
    yield* sim.sleep(sim.resolve(costs.deviceAttrBaseNs), 'device-attr');
    if (req === 'KVM_HAS_DEVICE_ATTR') return vgicItsHasAttr(attr);
    if (req === 'KVM_SET_DEVICE_ATTR') return yield* vgicItsSetAttr(this.ctx, vm, its, attr);
    return yield* vgicItsGetAttr(this.ctx, vm, its, attr);
  }

  /** kvm_vcpu_ioctl(KVM_RUN): vcpu->mutex (killable) for the whole run; the other vCPU ioctls are written out in ioctl. */
  private *vcpuRunIoctl(vm: VmState, vcpu: VcpuState): Proc<number> {
    const { sim } = this.ctx;
    const locked = yield* sim.lock(vcpu.mutex, 'killable');
    if (!locked) return -EINTR;
    const ret = yield* kvmArchVcpuIoctlRun(this.ctx, vm, vcpu);
    sim.unlock(vcpu.mutex);
    return ret;
  }

  private vcpuIoctlBody(vcpu: VcpuState, req: IoctlName, arg: unknown): number {
    switch (req) {
      case 'KVM_ARM_VCPU_INIT': {
        // Resets core state and mp_state; consumes a pending CPU_ON reset; never the vGIC interface.
        kvmResetVcpu(this.ctx, vcpu, (arg as KvmVcpuInit).powerOff);
        vcpu.initialized = true;
        return 0;
      }
      case 'KVM_GET_ONE_REG':
      case 'KVM_SET_ONE_REG': {
        // kvm_arch_vcpu_ioctl: -ENOEXEC until KVM_ARM_VCPU_INIT.
        if (!vcpu.initialized) return -ENOEXEC;
        // Both process a pending KVM_REQ_VCPU_RESET first (psci_test's never-run target).
        if (vcpu.pendingReset !== null) kvmResetVcpu(this.ctx, vcpu, null);
        return oneReg(vcpu, arg as KvmOneReg, req === 'KVM_SET_ONE_REG');
      }
      case 'KVM_GET_MP_STATE':
        (arg as KvmMpState).mp_state = vcpu.mpState;
        return 0;
      case 'KVM_SET_MP_STATE': {
        const s = (arg as KvmMpState).mp_state;
        if (s !== KVM_MP_STATE_RUNNABLE && s !== KVM_MP_STATE_STOPPED && s !== KVM_MP_STATE_SUSPENDED) return -EINVAL;
        vcpu.mpState = s;
        vcpu.requestSleep = s === KVM_MP_STATE_STOPPED;
        return 0;
      }
      default:
        return -ENOTTY;
    }
  }
}

/** An ioctl that fails before it could block: a call that returns at once. */
function result(ret: number): OpCall<number> {
  return new DoneCall(ret);
}

function oneReg(vcpu: VcpuState, reg: KvmOneReg, write: boolean): number {
  if (reg.addr === null) return -EFAULT;
  const id = reg.id;
  if (id === KVM_REG_ARM_CORE_PC) {
    if (!write) reg.addr.value = vcpu.regs.pc;
    else if (reg.addr.value !== vcpu.regs.pc) {
      // A new PC means the guest continues from there: the model restarts its program at that entry.
      vcpu.regs.pc = reg.addr.value;
      vcpu.guest = null;
      vcpu.awaitingHypercall = false;
      vcpu.computeLeftNs = 0;
    }
    return 0;
  }
  const core = id - KVM_REG_ARM_CORE_BASE;
  if (core >= 0n && core < 62n && core % 2n === 0n) {
    const n = Number(core / 2n);
    if (write) vcpu.regs.x[n] = reg.addr.value;
    else reg.addr.value = vcpu.regs.x[n] ?? 0n;
    return 0;
  }
  if (id === KVM_REG_MPIDR_EL1) {
    // Whether KVM lets userspace change MPIDR_EL1 is UNVERIFIED; the model accepts it before the first run.
    if (!write) reg.addr.value = vcpu.mpidr;
    else if (vcpu.hasRunOnce) return -EBUSY;
    else vcpu.mpidr = reg.addr.value;
    return 0;
  }
  return -ENOENT;
}

// The ioctl events' kind and keys with their hash words: two events per ioctl, about a million a long run.
const IOCTL_BEGIN = new HashedString<'ioctl-begin'>('ioctl-begin');
const IOCTL_END = new HashedString<'ioctl-end'>('ioctl-end');
const FD_KEY = new HashedString<keyof KvmEventPayloads['ioctl-end']>('fd');
const REQ_KEY = new HashedString<keyof KvmEventPayloads['ioctl-end']>('req');
const RET_KEY = new HashedString<keyof KvmEventPayloads['ioctl-end']>('ret');

/** ioctl-begin: { fd, req } hashed in place (nothing built for a hash-only trace); attributes the long way. */
function traceIoctlBegin(sim: Simulator, fd: number, req: IoctlName, arg: unknown): void {
  if (arg !== null && typeof arg === 'object' && 'group' in arg && 'attr' in arg) emitKvmEvent(sim, 'ioctl-begin', describe(fd, req, arg));
  else sim.emitNS(IOCTL_BEGIN, FD_KEY, fd, REQ_KEY, req);
}

function describe(fd: number, req: IoctlName, arg: unknown): KvmEventPayloads['ioctl-begin'] {
  if (arg !== null && typeof arg === 'object' && 'group' in arg && 'attr' in arg) {
    const a = arg as { group: number; attr: bigint };
    if (a.group === KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS) return { fd, req, group: a.group, attr: a.attr, sysreg: Number(a.attr & 0xffffn) };
    return { fd, req, group: a.group, attr: a.attr };
  }
  return { fd, req };
}
