// hw/intc/arm_gicv3_kvm.c + arm_gicv3_common.c: realize, the CPU-interface reset (arm_gicv3_icc_reset),
// the GIC's reset hold and the put/get of the CPU interface (qemu.md §1.2–§1.7).
import {
  GICD_CTLR,
  GICD_TYPER,
  GICR_CTLR,
  GICR_TYPER,
  GICR_WAKER,
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_ADDR,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
  KVM_DEV_ARM_VGIC_GRP_NR_IRQS,
  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
  kvmGetIccCtlr,
  qemuAprCount,
  qemuGicrTyper,
} from '@vgicsim/gicv3-regs';
import { KVM_DEV_TYPE_ARM_VGIC_V3, type Proc, errnoName } from '@vgicsim/kvm-sim';
import type { CpuState } from '../cpu-state.js';
import { kvmDeviceAccess } from '../kvm-all.js';
import type { Qemu } from '../qemu.js';
import {
  ICC_BPR0_EL1,
  ICC_BPR1_EL1,
  ICC_CTLR_EL1,
  ICC_IGRPEN0_EL1,
  ICC_IGRPEN1_EL1,
  ICC_PMR_EL1,
  ICC_SRE_EL1,
  iccAp0r,
  iccAp1r,
  kvmGiccAccess,
  kvmGicdAccess,
  kvmGicrAccess,
} from './gic-access.js';
import { GICV3_G0, GICV3_G1NS, GICV3_NS, GicCpuState, armGicv3CommonResetHold } from './gic-state.js';
import { strategyContext } from './strategy-api.js';
import type { ArmBoard } from './board.js';

const VIRT_GIC_DIST = 0x08000000n;
const VIRT_GIC_REDIST = 0x080a0000n;
/** The redistributor registers kvm_arm_gicv3_put cycles through. */
const PUT_REDIST_REGS = [GICR_CTLR, GICR_WAKER, GICR_TYPER];

/** arm_gicv3_common_realize's per-CPU GICR_TYPER (affinity from mp-affinity, CommonLPIAff=1, Last on the last). */
export function gicCpuStates(cpus: readonly CpuState[]): GicCpuState[] {
  return cpus.map((cpu, i) => {
    const c = new GicCpuState(i, cpu);
    c.gicrTyper = qemuGicrTyper({ cpuIndex: i, cpuCount: cpus.length, mpAffinity: cpu.mpAffinity, last: i === cpus.length - 1 });
    return c;
  });
}

/**
 * kvm_arm_gicv3_realize in upstream order: parent realize (GICR_TYPERs), cpregs (the ICC reset hook for
 * every possible CPU), create the device, NR_IRQS, CTRL_INIT, addresses, migration blocker check,
 * state-change handler — and, for realize-once, the single ICC_CTLR_EL1 read per CPU.
 */
export function* kvmArmGicv3Realize(q: Qemu, board: ArmBoard): Proc {
  const gic = board.gic;
  gic.cpus.push(...gicCpuStates(q.allCpus));
  // RFC patch 8: gicc_accessible starts as qdev_check_enabled(cpu).
  for (const c of gic.cpus) c.giccAccessible = !board.isAdminDisabled(c.cpu);
  // cp_reg_reset walks the cpreg hash table: the AArch64 and the AArch32-NS entries of ICC_CTLR_EL1 both
  // carry the resetfn (define_one_arm_cp_reg / add_cpreg_to_hashtable_aa32), so it runs twice per cpu_reset.
  for (let n = 0; n < board.options.iccResetCallsPerCpuReset; n++) {
    q.cpuResetHooks.push((qq, cpu) => armGicv3IccReset(qq, board, cpu));
  }
  const dev = { type: KVM_DEV_TYPE_ARM_VGIC_V3, fd: -1 };
  const r = yield* q.kvm.ioctl(q.vmFd, 'KVM_CREATE_DEVICE', dev);
  if (r < 0) q.abort(`kvm_arm_gicv3_realize: error creating in-kernel VGIC: ${errnoName(r)}`);
  gic.devFd = dev.fd;
  yield* kvmDeviceAccess(q, gic.devFd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0n, { value: BigInt(gic.numIrq) }, true, 'error_abort');
  yield* kvmDeviceAccess(q, gic.devFd, KVM_DEV_ARM_VGIC_GRP_CTRL, BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT), { value: 0n }, true, 'error_abort');
  yield* kvmDeviceAccess(q, gic.devFd, KVM_DEV_ARM_VGIC_GRP_ADDR, 2n, { value: VIRT_GIC_DIST }, true, 'error_abort');
  yield* kvmDeviceAccess(q, gic.devFd, KVM_DEV_ARM_VGIC_GRP_ADDR, 3n, { value: VIRT_GIC_REDIST }, true, 'error_abort');
  // kvm_device_check_attr(GRP_DIST_REGS, GICD_CTLR): an old kernel without save/restore blocks migration.
  const has = yield* q.kvm.ioctl(gic.devFd, 'KVM_HAS_DEVICE_ATTR', { group: KVM_DEV_ARM_VGIC_GRP_DIST_REGS, attr: BigInt(GICD_CTLR), addr: null });
  if (has < 0 || board.options.migrationBlocker) gic.migrationBlocker = 'This operating system kernel does not support vGICv3 migration';
  const pend = yield* q.kvm.ioctl(gic.devFd, 'KVM_HAS_DEVICE_ATTR', {
    group: KVM_DEV_ARM_VGIC_GRP_CTRL,
    attr: BigInt(KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
    addr: null,
  });
  board.savePendingTables = pend === 0;
  q.resetDevices.push({ name: 'arm-gicv3-kvm', resetHold: (qq) => kvmArmGicv3ResetHold(qq, board) });
  if (board.strategy.onRealize !== undefined) yield* board.strategy.onRealize(strategyContext(q, gic));
}

/** arm_gicv3_icc_reset: the cpreg resetfn the whole CPU-interface reset hangs off (steps 1–9). */
export function* armGicv3IccReset(q: Qemu, board: ArmBoard, cpu: CpuState): Proc {
  const gic = board.gic;
  const c = gic.cpus.find((x) => x.cpu === cpu);
  if (c === undefined) return;
  c.iccPmrEl1 = 0n;
  // Architecturally UNKNOWN; KVM clamps to the host minimum when it programs the VMCR.
  c.iccBpr[0] = 0n;
  c.iccBpr[1] = 0n;
  c.iccBpr[2] = 0n;
  c.iccSreEl1 = 0x7n;
  for (const g of c.iccApr) g.fill(0n);
  c.iccIgrpen[0] = 0n;
  c.iccIgrpen[1] = 0n;
  c.iccIgrpen[2] = 0n;
  if (board.strategy.blockerEarlyReturn && gic.migrationBlocker !== null) return;
  yield* board.strategy.resetIccCtlr(strategyContext(q, gic), c);
  board.oracle.recordReset(c.index, board.resetTrigger(), c.iccCtlrEl1[GICV3_NS]);
}

/** kvm_arm_gicv3_reset_hold: parent hold (distributor/redistributor state only), then put unless blocked. */
export function* kvmArmGicv3ResetHold(q: Qemu, board: ArmBoard): Proc {
  armGicv3CommonResetHold(board.gic);
  if (board.gic.migrationBlocker !== null) return;
  yield* kvmArmGicv3Put(q, board);
}

/**
 * kvm_arm_gicv3_put: the distributor and redistributor part reduced to a configurable number of accesses
 * (each one locks every vCPU like the real ones), then the CPU interface register by register as upstream.
 */
export function* kvmArmGicv3Put(q: Qemu, board: ArmBoard): Proc {
  const gic = board.gic;
  const buf = { value: 0n };
  yield* kvmGicdAccess(q, gic, GICD_TYPER, buf, false); // kvm_arm_gicv3_check
  for (let i = 0; i < board.options.gicPutDistAccesses; i++) yield* kvmGicdAccess(q, gic, GICD_CTLR, { value: gic.gicdCtlr }, true);
  for (const c of gic.cpus) {
    if (!c.giccAccessible) continue;
    for (let i = 0; i < board.options.gicPutRedistAccessesPerCpu; i++) {
      const off = PUT_REDIST_REGS[i % PUT_REDIST_REGS.length] ?? GICR_CTLR;
      const value = off === GICR_CTLR ? c.gicrCtlr : off === GICR_WAKER ? c.gicrWaker : c.gicrTyper;
      yield* kvmGicrAccess(q, gic, c, off, { value }, off !== GICR_TYPER);
    }
  }
  for (const c of gic.cpus) {
    if (!c.giccAccessible) continue;
    // Each access is yield*ed directly (a local helper generator would be one more frame per step).
    yield* kvmGiccAccess(q, gic, c, ICC_SRE_EL1, { value: c.iccSreEl1 }, true, 'error_abort');
    yield* kvmGiccAccess(q, gic, c, ICC_CTLR_EL1, { value: c.iccCtlrEl1[GICV3_NS] }, true, 'error_abort');
    yield* kvmGiccAccess(q, gic, c, ICC_IGRPEN0_EL1, { value: c.iccIgrpen[GICV3_G0] }, true, 'error_abort');
    yield* kvmGiccAccess(q, gic, c, ICC_IGRPEN1_EL1, { value: c.iccIgrpen[GICV3_G1NS] }, true, 'error_abort');
    yield* kvmGiccAccess(q, gic, c, ICC_PMR_EL1, { value: c.iccPmrEl1 }, true, 'error_abort');
    yield* kvmGiccAccess(q, gic, c, ICC_BPR0_EL1, { value: c.iccBpr[GICV3_G0] }, true, 'error_abort');
    yield* kvmGiccAccess(q, gic, c, ICC_BPR1_EL1, { value: c.iccBpr[GICV3_G1NS] }, true, 'error_abort');
    const numPriBits = Number((c.iccCtlrEl1[GICV3_NS] >> 8n) & 7n) + 1;
    const aprs = qemuAprCount(numPriBits);
    for (let n = aprs - 1; n >= 0; n--) yield* kvmGiccAccess(q, gic, c, iccAp0r(n), { value: c.iccApr[GICV3_G0]?.[n] ?? 0n }, true, 'error_abort');
    for (let n = aprs - 1; n >= 0; n--) yield* kvmGiccAccess(q, gic, c, iccAp1r(n), { value: c.iccApr[GICV3_G1NS]?.[n] ?? 0n }, true, 'error_abort');
    const vgic = c.cpu.vcpuFd >= 0 ? q.kvm.vcpuOf(c.cpu.vcpuFd).vgic : null;
    if (vgic !== null) board.oracle.recordPut(c.index, kvmGetIccCtlr(vgic, q.kvm.host.ichVtr));
  }
}

/** kvm_arm_gicv3_get (pre_save): the mirror of put for the CPU interface; CTLR lands in [NS] only. */
export function* kvmArmGicv3Get(q: Qemu, board: ArmBoard): Proc {
  const gic = board.gic;
  yield* kvmGicdAccess(q, gic, GICD_TYPER, { value: 0n }, false);
  for (const c of gic.cpus) {
    if (!c.giccAccessible) continue;
    const get = function* (reg: number): Proc<bigint> {
      const val = { value: 0n };
      yield* kvmGiccAccess(q, gic, c, reg, val, false, 'error_abort');
      return val.value;
    };
    c.iccSreEl1 = yield* get(ICC_SRE_EL1);
    c.iccCtlrEl1[GICV3_NS] = yield* get(ICC_CTLR_EL1);
    c.iccIgrpen[GICV3_G0] = yield* get(ICC_IGRPEN0_EL1);
    c.iccIgrpen[GICV3_G1NS] = yield* get(ICC_IGRPEN1_EL1);
    c.iccPmrEl1 = yield* get(ICC_PMR_EL1);
    c.iccBpr[GICV3_G0] = yield* get(ICC_BPR0_EL1);
    c.iccBpr[GICV3_G1NS] = yield* get(ICC_BPR1_EL1);
    const numPriBits = Number((c.iccCtlrEl1[GICV3_NS] >> 8n) & 7n) + 1;
    const aprs = qemuAprCount(numPriBits);
    for (let n = aprs - 1; n >= 0; n--) (c.iccApr[GICV3_G0] as bigint[])[n] = yield* get(iccAp0r(n));
    for (let n = aprs - 1; n >= 0; n--) (c.iccApr[GICV3_G1NS] as bigint[])[n] = yield* get(iccAp1r(n));
  }
}
