// The argument types of the ioctls the model implements: a leaf module, so the trace vocabulary and
// kvm.ts can both name them without importing each other.
import type { KvmDeviceAttr, KvmSmcccFilter, U64Ref } from './uapi.js';

export interface KvmCreateDevice {
  readonly type: number;
  readonly test?: boolean;
  /** Out: the new device fd. */
  fd: number;
}
export interface KvmVcpuInit {
  readonly powerOff: boolean;
}
export interface KvmOneReg {
  readonly id: bigint;
  readonly addr: U64Ref | null;
}
export interface KvmMpState {
  mp_state: number;
}
export interface VmDeviceAttr {
  readonly group: number;
  readonly attr: bigint;
  readonly addr: KvmSmcccFilter | null;
}

/** Every ioctl the model implements, with its argument type. */
export interface IoctlArgs {
  KVM_CREATE_VCPU: number;
  KVM_CREATE_DEVICE: KvmCreateDevice;
  KVM_SET_DEVICE_ATTR: KvmDeviceAttr | VmDeviceAttr | null;
  KVM_GET_DEVICE_ATTR: KvmDeviceAttr | null;
  KVM_HAS_DEVICE_ATTR: KvmDeviceAttr | VmDeviceAttr | null;
  KVM_RUN: undefined;
  KVM_ARM_VCPU_INIT: KvmVcpuInit;
  KVM_GET_ONE_REG: KvmOneReg;
  KVM_SET_ONE_REG: KvmOneReg;
  KVM_GET_MP_STATE: KvmMpState;
  KVM_SET_MP_STATE: KvmMpState;
}
export type IoctlName = keyof IoctlArgs;
