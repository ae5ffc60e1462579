// Public face of @vgicsim/kvm-sim. Nothing is exported yet; later issues fill it in.
export {};
