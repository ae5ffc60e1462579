// GICv3 ITS register offsets in the ITS control frame (include/linux/irqchip/arm-gic-v3.h), as the u64
// attr values of KVM_DEV_ARM_VGIC_GRP_ITS_REGS.
export const GITS_CTLR = 0x0000n;
export const GITS_IIDR = 0x0004n;
export const GITS_TYPER = 0x0008n;
export const GITS_CBASER = 0x0080n;
export const GITS_CWRITER = 0x0088n;
export const GITS_CREADR = 0x0090n;
/** GITS_BASER0; BASER<n> is at GITS_BASER + 8n. */
export const GITS_BASER = 0x0100n;
/** Number of GITS_BASER<n> registers. */
export const GITS_BASER_NR_REGS = 8;
export const GITS_PIDR4 = 0xffd0n;
/** GITS_BASER<n>.Valid. */
export const GITS_BASER_VALID = 1n << 63n;
