// The built-in ICC_CTLR_EL1 reset strategies and their lookup by name.
import type { IccResetStrategy } from '../strategy.js';
import { PAUSE_ALWAYS } from './pause-always.js';
import { REALIZE_ONCE } from './realize-once.js';
import { RFC_V6 } from './rfc-v6.js';
import { RFC_V6_SIMPLIFIED } from './rfc-v6-simplified.js';
import { UPSTREAM_2025 } from './upstream-2025.js';

export const BUILTIN_STRATEGIES: readonly IccResetStrategy[] = [UPSTREAM_2025, RFC_V6, RFC_V6_SIMPLIFIED, REALIZE_ONCE, PAUSE_ALWAYS];

export function findStrategy(name: string): IccResetStrategy | undefined {
  return BUILTIN_STRATEGIES.find((s) => s.name === name);
}

export { PAUSE_ALWAYS, REALIZE_ONCE, RFC_V6, RFC_V6_SIMPLIFIED, UPSTREAM_2025 };
export { kvmGiccGetCachedIccCtlrEl1 } from './rfc-v6.js';
