import { describeKey, type LoginThrottle } from './throttle';
import type { UserLockout } from '@shared/contract/directory';

/**
 * The throttle's counts of one email, in the numbers it acts on: failures counted, the attempts left
 * before the lock (what the next `reserve` allows), and the seconds a locked key still refuses (what
 * `Retry-After` says). Read from the throttle itself, so the console and the refusal cannot disagree.
 */
export function lockoutsOf(throttle: LoginThrottle, email: string, now: number): UserLockout[] {
  const keys = new Set(throttle.keysOfEmail(email));
  const { lockAfter } = throttle.settings;
  return throttle
    .list()
    .filter((e) => keys.has(e.key))
    .map((e) => {
      const { scope, kind, subject } = describeKey(e.key);
      const locked = e.lockedUntil !== null;
      return {
        key: e.key,
        scope,
        kind,
        subject,
        failures: e.failures,
        attemptsLeft: locked ? 0 : Math.max(0, lockAfter - e.failures - e.inflight),
        refusedForSeconds: locked ? Math.max(1, Math.ceil((e.lockedUntil! - now) / 1000)) : null,
      };
    });
}
