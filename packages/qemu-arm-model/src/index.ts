// Public face of @vgicsim/qemu-arm-model. Nothing is exported yet; later issues fill it in.
export {};
