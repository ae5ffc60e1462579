// README example: a VM with 4 vCPUs whose threads sit in KVM_RUN, and a VMM reading ICC_CTLR_EL1 of
// vCPU 0 through KVM_GET_DEVICE_ATTR(CPU_SYSREGS): -EBUSY while any vCPU is inside KVM_RUN, the value
// once SIG_IPI has kicked every vCPU thread out of KVM_RUN (what QEMU's pause_all_vcpus achieves).
import {
  EINTR,
  KVM_DEV_TYPE_ARM_VGIC_V3,
  Kvm,
  Simulator,
  WaitQueue,
  formatResult,
  type GuestCode,
  type Proc,
} from '../index.js';
import {
  KVM_DEV_ARM_VGIC_CTRL_INIT,
  KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
  KVM_DEV_ARM_VGIC_GRP_CTRL,
  iccSysregId,
  kvmVcpuAffinity,
  packSysregAttr,
} from '@vgicsim/gicv3-regs';

const SIG_IPI = 10;
const ICC_CTLR_EL1 = iccSysregId('ICC_CTLR_EL1'); // 0xc664

export interface FourVcpusResult {
  /** Each GET of vCPU 0's ICC_CTLR_EL1 as "<time ns> <result>". */
  readonly gets: readonly string[];
  readonly iccCtlr: bigint;
  /** How each vCPU thread's KVM_RUN ended. */
  readonly runExits: readonly string[];
  readonly outcome: string;
  readonly endNs: number;
}

export function fourVcpus(seed = 1): FourVcpusResult {
  const sim = new Simulator({ seed, trace: 'hash' });
  const kvm = new Kvm(sim); // Cortex-A76 host, v6.16 lock shape, all-vCPU trylock
  kvm.setGuestProgram({
    name: 'busy',
    *start(): GuestCode {
      for (;;) yield { op: 'compute', ns: 100_000 };
    },
  });
  const vmFd = kvm.createVm();
  const parked = new WaitQueue('parked');
  const gets: string[] = [];
  const runExits: string[] = [];
  const buf = { value: 0n };

  sim.spawn('vmm', function* (): Proc {
    const vcpuFds: number[] = [];
    for (let i = 0; i < 4; i++) vcpuFds.push(yield* kvm.ioctl(vmFd, 'KVM_CREATE_VCPU', i));
    const dev = { type: KVM_DEV_TYPE_ARM_VGIC_V3, fd: -1 };
    yield* kvm.ioctl(vmFd, 'KVM_CREATE_DEVICE', dev);
    const init = { group: KVM_DEV_ARM_VGIC_GRP_CTRL, attr: BigInt(KVM_DEV_ARM_VGIC_CTRL_INIT), addr: { value: 0n } };
    yield* kvm.ioctl(dev.fd, 'KVM_SET_DEVICE_ATTR', init);

    // One thread per vCPU, QEMU-style: SIG_IPI sets immediate_exit; after -EINTR the thread parks.
    const threads = vcpuFds.map((fd, i) =>
      sim.spawn(`vcpu${i}`, function* (): Proc {
        const run = kvm.vcpuOf(fd).run;
        sim.setSignalHandler(sim.self(), SIG_IPI, () => {
          run.immediate_exit = 1;
        });
        yield* kvm.ioctl(fd, 'KVM_ARM_VCPU_INIT', { powerOff: false });
        for (;;) {
          const ret = yield* kvm.ioctl(fd, 'KVM_RUN', undefined);
          runExits.push(`vcpu${i} ${formatResult(ret)} at ${sim.now}`);
          if (ret === -EINTR) yield* sim.block(parked);
        }
      }, { daemon: true }),
    );

    const getCtlr = function* (): Proc {
      const ret = yield* kvm.ioctl(dev.fd, 'KVM_GET_DEVICE_ATTR', {
        group: KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
        attr: packSysregAttr(kvmVcpuAffinity(0), ICC_CTLR_EL1),
        addr: buf,
      });
      gets.push(`${sim.now} ${formatResult(ret)}`);
    };

    yield* sim.sleep(50_000);
    yield* getCtlr(); // every vCPU is inside KVM_RUN: -EBUSY
    for (const t of threads) sim.kill(t, SIG_IPI);
    yield* sim.sleep(50_000);
    yield* getCtlr(); // every vCPU thread is parked outside KVM_RUN: 0
  });

  const r = sim.run();
  return { gets, iccCtlr: buf.value, runExits, outcome: r.outcome.kind, endNs: r.now };
}
