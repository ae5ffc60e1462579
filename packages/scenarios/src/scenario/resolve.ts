// Names to model objects, with input errors that list what is accepted.
import { HOST_PROFILES, type HostProfile, findHostProfile } from '@vgicsim/gicv3-regs';
import { LOCK_POLICIES, type LockPolicy } from '@vgicsim/kvm-sim';
import { BUILTIN_STRATEGIES, type IccResetStrategy, findStrategy } from '@vgicsim/qemu-arm-model';
import { ScenarioInputError } from './params.js';
import { isStrategyPath } from './strategy-module.js';

export function resolveStrategy(s: string | IccResetStrategy): IccResetStrategy {
  if (typeof s !== 'string') return s;
  const found = findStrategy(s);
  if (found === undefined) {
    const names = BUILTIN_STRATEGIES.map((x) => x.name).join(', ');
    // A module path reaches here only if the caller forgot to load it (loadStrategyModule is async I/O).
    throw new ScenarioInputError('unknown strategy', isStrategyPath(s) ? `${names}, or a module object from loadStrategyModule` : names, s);
  }
  return found;
}

export function resolveLockPolicy(p: string | undefined): LockPolicy {
  const v = p ?? 'all-vcpus';
  const found = LOCK_POLICIES.find((x) => x === v);
  if (found === undefined) throw new ScenarioInputError('unknown lock policy', LOCK_POLICIES.join(', '), v);
  return found;
}

export function resolveHost(name: string | undefined): HostProfile {
  const v = name ?? 'cortex-a76';
  if (!HOST_PROFILES.some((h) => h.name === v)) {
    throw new ScenarioInputError('unknown host profile', HOST_PROFILES.map((h) => h.name).join(', '), v);
  }
  return findHostProfile(v);
}
