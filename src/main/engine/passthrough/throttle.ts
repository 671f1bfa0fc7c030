import type { Clock } from '../context';

/** The numbers of login throttling; every one is a setting. */
export interface ThrottleSettings {
  /** Failures allowed before attempts are slowed down. */
  freeFailures: number;
  /** Delay added to the first slowed attempt; it doubles with each further failure. */
  delayMs: number;
  /** Cap on that delay. */
  maxDelayMs: number;
  /** Failures after which attempts are refused outright (429). */
  lockAfter: number;
  /** How long a key stays refused. */
  lockMs: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** Keys tracked at most; the oldest are forgotten first (bounds memory under a spray of emails). */
  maxKeys: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = {
  freeFailures: 3,
  delayMs: 250,
  maxDelayMs: 4000,
  lockAfter: 10,
  lockMs: 5 * 60_000,
  windowMs: 15 * 60_000,
  maxKeys: 10_000,
};

interface Entry {
  failures: number;
  lastAt: number;
  lockedUntil: number;
}

export type ThrottleVerdict = { kind: 'go'; delayMs: number } | { kind: 'refused'; retryAfterSeconds: number; key: string };

/**
 * Failure counting per key (an email, a peer address). Each key is slowed down after a few failures
 * and then refused for a while; a success resets it. Kept in memory: a restart forgives, which is fine
 * for a desktop console and keeps failed attempts from ever being written to disk.
 */
export class LoginThrottle {
  private current: ThrottleSettings;
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    settings: Partial<ThrottleSettings> = {},
  ) {
    this.current = { ...DEFAULT_THROTTLE, ...settings };
  }

  get settings(): ThrottleSettings {
    return this.current;
  }

  /** New numbers from now on; the failures counted so far are kept. */
  configure(settings: Partial<ThrottleSettings>): void {
    this.current = { ...DEFAULT_THROTTLE, ...settings };
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.lockedUntil <= now && now - e.lastAt > this.settings.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Whether an attempt for these keys may go ahead, and how long it must wait first. */
  check(keys: string[]): ThrottleVerdict {
    const now = this.clock.now();
    let delayMs = 0;
    for (const key of keys) {
      const e = this.live(key, now);
      if (!e) continue;
      if (e.lockedUntil > now) return { kind: 'refused', key, retryAfterSeconds: Math.max(1, Math.ceil((e.lockedUntil - now) / 1000)) };
      const over = e.failures - this.settings.freeFailures;
      if (over >= 0) delayMs = Math.max(delayMs, Math.min(this.settings.maxDelayMs, this.settings.delayMs * 2 ** over));
    }
    return { kind: 'go', delayMs };
  }

  failure(keys: string[]): void {
    const now = this.clock.now();
    for (const key of keys) {
      const e = this.live(key, now) ?? { failures: 0, lastAt: now, lockedUntil: 0 };
      e.failures += 1;
      e.lastAt = now;
      if (e.failures >= this.settings.lockAfter) {
        e.lockedUntil = now + this.settings.lockMs;
        e.failures = 0;
      }
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    while (this.entries.size > this.settings.maxKeys) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  success(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
