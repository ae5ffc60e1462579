// The command table as data: names, arguments and typed flags. Kept apart from the loaders
// (command-table.ts) so command modules can import their argument types without an import cycle.
import type { CommandSpec, FlagTable, ParsedArgs } from './flags.js';

const REGISTER_ARG = {
  name: 'REGISTER',
  description: 'register name (case-insensitive), e.g. ICC_CTLR_EL1, or generic form, e.g. S3_0_C12_C12_4',
  required: true,
} as const;

const JSON_FLAG = { type: 'boolean', description: 'print JSON instead of text' } as const;

function spec<const F extends FlagTable>(s: CommandSpec<F>): CommandSpec<F> {
  return s;
}

export const DECODE = spec({
  name: 'decode',
  summary: 'decode a register value into its fields',
  description: 'Prints a bit diagram and a field table; --json prints the field values and any validation warnings.',
  positionals: [REGISTER_ARG, { name: 'VALUE', description: '0x-prefixed hex or decimal, 0..2^64-1', required: true }],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim decode ICC_CTLR_EL1 0x8400', 'vgicsim decode s3_4_c12_c11_1 0x90280003 --json'],
});

export const ENCODE = spec({
  name: 'encode',
  summary: 'build a register value from FIELD=VALUE assignments',
  description: 'Fields not given are 0 (RES1 bits are set). Field names are case-insensitive; values are hex or decimal.',
  positionals: [REGISTER_ARG, { name: 'FIELD=VALUE', description: 'field assignment, e.g. PRIbits=4', required: false, variadic: true }],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim encode ICC_CTLR_EL1 PRIbits=4 A3V=1', 'vgicsim encode MPIDR_EL1 aff1=1 aff0=3 --json'],
});

export const ATTR = spec({
  name: 'attr',
  summary: 'compute the KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS attr for a register and vCPU',
  description: 'Select the vCPU with exactly one of --mpidr, --affinity or --vcpu (KVM default MPIDR for that index).',
  positionals: [REGISTER_ARG],
  flags: {
    mpidr: { type: 'string', description: 'the vCPU MPIDR_EL1 value (hex or decimal)', valueName: 'VALUE' },
    affinity: { type: 'string', description: 'the vCPU affinity', valueName: 'A3.A2.A1.A0' },
    vcpu: { type: 'number', description: "vCPU index; uses KVM's default MPIDR (reset_mpidr)", valueName: 'N', integer: true, min: 0, max: 0xffffffff },
    json: JSON_FLAG,
  },
  examples: ['vgicsim attr ICC_CTLR_EL1 --vcpu 19', 'vgicsim attr ICC_PMR_EL1 --affinity 0.0.1.3 --json'],
});

export const REGISTERS_CMD = spec({
  name: 'registers',
  summary: 'list the registers with their encodings',
  description: 'Name, generic S-form, op0/op1/CRn/CRm/op2, sysreg id, ONE_REG id (or MMIO offset) and width.',
  positionals: [],
  flags: { json: JSON_FLAG },
  examples: ['vgicsim registers', 'vgicsim registers --json'],
});

export const START = spec({
  name: 'start',
  summary: 'decode the ICC_CTLR_EL1 a fresh KVM vCPU reports on a host profile',
  description: 'A first demonstration; a later release turns this into the strategy comparison.',
  positionals: [],
  flags: { profile: { type: 'string', description: 'host profile', valueName: 'NAME', default: 'cortex-a76' } },
  examples: ['vgicsim start', 'vgicsim start --profile cortex-a53'],
});

export type DecodeArgs = ParsedArgs<typeof DECODE.flags>;
export type EncodeArgs = ParsedArgs<typeof ENCODE.flags>;
export type AttrArgs = ParsedArgs<typeof ATTR.flags>;
export type RegistersArgs = ParsedArgs<typeof REGISTERS_CMD.flags>;
export type StartArgs = ParsedArgs<typeof START.flags>;
