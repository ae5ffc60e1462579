// Public face of @vgicsim/scenarios. Nothing is exported yet; later issues fill it in.
export {};
