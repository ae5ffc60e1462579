// PSCI in QEMU (target/arm/psci.c arm_handle_psci_call, qemu.md §4.2) and the forwarded-hypercall exit
// of patch 18/24 (target/arm/kvm.c kvm_arm_handle_hypercall, qemu.md §4.3).
import {
  PSCI_0_2_FN64_AFFINITY_INFO,
  PSCI_0_2_FN64_CPU_ON,
  PSCI_0_2_FN_AFFINITY_INFO,
  PSCI_0_2_FN_CPU_OFF,
  PSCI_0_2_FN_CPU_ON,
  PSCI_0_2_FN_MIGRATE_INFO_TYPE,
  PSCI_0_2_FN_PSCI_VERSION,
  PSCI_0_2_FN_SYSTEM_OFF,
  PSCI_0_2_FN_SYSTEM_RESET,
  PSCI_1_0_FN_PSCI_FEATURES,
  PSCI_RET_INVALID_PARAMS,
  PSCI_RET_NOT_SUPPORTED,
  PSCI_RET_SUCCESS,
  PSCI_VERSION_1_1,
  psciFunctionName,
  psciRetToX0,
} from '@vgicsim/gicv3-regs';
import { KVM_HYPERCALL_EXIT_SMC, type KvmRun, type Proc } from '@vgicsim/kvm-sim';
import type { CpuState } from '../cpu-state.js';
import { bqlLock, bqlUnlock } from '../cpus.js';
import { EXCP_INTERRUPT, type Qemu } from '../qemu.js';
import { qemuSystemResetRequest, qemuSystemShutdownRequest } from '../runstate.js';
import { kvmCpuSynchronizeState } from '../vcpu-thread.js';
import { armGetCpuById, armSetCpuOff, armSetCpuOn } from './arm-powerctl.js';
import type { ArmBoard } from './board.js';
import { emitQemuEvent } from '../trace-vocabulary.js';

/** kvm_arm_handle_hypercall: no BQL on entry; sync state, take the BQL around the PSCI call, EXCP_INTERRUPT. */
export function* kvmArmHandleHypercall(q: Qemu, board: ArmBoard, cpu: CpuState, run: KvmRun): Proc<number> {
  yield* kvmCpuSynchronizeState(q, cpu);
  // exception_index = EXCP_SMC or EXCP_HVC by the flag; the immediate is taken as 0.
  const smc = (run.hypercall.flags & KVM_HYPERCALL_EXIT_SMC) !== 0;
  emitQemuEvent(q.sim, 'psci-forwarded', { cpu: cpu.index, fn: psciFunctionName(run.hypercall.nr), conduit: smc ? 'smc' : 'hvc' });
  yield* bqlLock(q);
  yield* armHandlePsciCall(q, board, cpu);
  bqlUnlock(q);
  return EXCP_INTERRUPT;
}

/** arm_handle_psci_call: x0..x3 from env; the result goes to x0, except on the cpu_off path. */
// The 64-bit-function-from-AArch32 check (NOT_SUPPORTED) never fires: the model's guests are AArch64.
export function* armHandlePsciCall(q: Qemu, board: ArmBoard, cpu: CpuState): Proc {
  const x = cpu.env.xregs;
  const fn = Number((x[0] ?? 0n) & 0xffffffffn);
  const p1 = x[1] ?? 0n;
  let ret: number;
  switch (fn) {
    case PSCI_0_2_FN_PSCI_VERSION:
      ret = PSCI_VERSION_1_1; // QEMU_PSCI_VERSION_1_1 (target/arm/kvm-consts.h)
      break;
    case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
      ret = 2; // TOS not present / migration not required
      break;
    case PSCI_0_2_FN_AFFINITY_INFO:
    case PSCI_0_2_FN64_AFFINITY_INFO: {
      const level = Number(x[2] ?? 0n);
      if (level !== 0) {
        ret = 0;
        break;
      }
      const target = armGetCpuById(q, p1);
      if (target === undefined) {
        ret = PSCI_RET_INVALID_PARAMS;
        break;
      }
      q.assertBql('arm_handle_psci_call AFFINITY_INFO');
      ret = target.powerState;
      break;
    }
    case PSCI_0_2_FN_SYSTEM_RESET:
      yield* qemuSystemResetRequest(q, 'guest-reset');
      yield* cpuOff(q, cpu);
      return;
    case PSCI_0_2_FN_SYSTEM_OFF:
      qemuSystemShutdownRequest(q, 'guest-shutdown');
      yield* cpuOff(q, cpu);
      return;
    case PSCI_0_2_FN_CPU_ON:
    case PSCI_0_2_FN64_CPU_ON: {
      // target_el = EL2 if the CPU has it, else EL1; the model's guests run at EL1 in AArch64.
      ret = yield* armSetCpuOn(q, board, fn === PSCI_0_2_FN_CPU_ON ? p1 & 0xffffffffn : p1, {
        entry: x[2] ?? 0n,
        contextId: x[3] ?? 0n,
        targetEl: 1,
        targetAa64: true,
      });
      break;
    }
    case PSCI_0_2_FN_CPU_OFF:
      yield* cpuOff(q, cpu);
      return;
    case PSCI_1_0_FN_PSCI_FEATURES: {
      const f = Number(p1 & 0xffffffffn);
      const known = [
        PSCI_0_2_FN_PSCI_VERSION,
        PSCI_0_2_FN_CPU_ON,
        PSCI_0_2_FN64_CPU_ON,
        PSCI_0_2_FN_CPU_OFF,
        PSCI_0_2_FN_AFFINITY_INFO,
        PSCI_0_2_FN64_AFFINITY_INFO,
        PSCI_0_2_FN_SYSTEM_RESET,
        PSCI_0_2_FN_SYSTEM_OFF,
        PSCI_0_2_FN_MIGRATE_INFO_TYPE,
        PSCI_1_0_FN_PSCI_FEATURES,
      ];
      ret = known.includes(f) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
      break;
    }
    default:
      ret = PSCI_RET_NOT_SUPPORTED;
  }
  cpu.env.xregs[0] = psciRetToX0(ret);
}

/** The cpu_off label: power off self through arm_set_cpu_off; x0 is not written. */
function* cpuOff(q: Qemu, cpu: CpuState): Proc {
  const ret = yield* armSetCpuOff(q, cpu.mpAffinity);
  if (ret !== PSCI_RET_SUCCESS) q.abort(`arm_handle_psci_call: assertion 'ret == QEMU_ARM_POWERCTL_RET_SUCCESS' failed (${ret})`);
}
