// Distributor and redistributor register offsets (include/linux/irqchip/arm-gic-v3.h), as the low 32 bits
// of a KVM_DEV_ARM_VGIC_GRP_DIST_REGS / GRP_REDIST_REGS attr. Offsets in the GICD frame and in the RD_base
// frame of a redistributor.
export const GICD_CTLR = 0x0000;
export const GICD_TYPER = 0x0004;
export const GICD_IIDR = 0x0008;
export const GICD_TYPER2 = 0x000c;

export const GICR_CTLR = 0x0000;
/** Same offset as the catalogue's REGISTERS.GICR_TYPER (checked by a test). */
export const GICR_TYPER = 0x0008;
export const GICR_WAKER = 0x0014;
