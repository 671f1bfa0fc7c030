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

/**
 * How a key counts:
 * - `identity` (an email, an email + account): slowed, then locked; a success clears it;
 * - `address` (a client address nobody else shares): slowed, then locked; a success does not clear it,
 *   so that one valid account cannot wash an address's failures away;
 * - `ceiling` (every caller of a shared address such as loopback, together): slowed once
 *   `CEILING_FACTOR × lockAfter` failures are counted in the window, never locked, never cleared by a success.
 */
export type KeyRule = 'identity' | 'address' | 'ceiling';
export interface ThrottleKey {
  key: string;
  rule: KeyRule;
}

/** Failures from a shared address (all callers together) before each attempt from it is slowed. */
export const CEILING_FACTOR = 5;

interface Entry {
  rule: KeyRule;
  failures: number;
  /** Attempts reserved and not yet settled: they count as failures until they are. */
  inflight: number;
  lastAt: number;
  lockedUntil: number;
}

export type SettleOutcome = 'success' | 'failure' | 'neutral';

/** A reserved attempt: settle it exactly once with how the check ended (later calls are ignored). */
export interface Reservation {
  kind: 'go';
  /** How long the caller must wait before running the check. */
  delayMs: number;
  /** Failures left after this one before the lock (the smallest over the locking keys); null without one. */
  attemptsLeft: number | null;
  settle(outcome: SettleOutcome): void;
}

export interface Refusal {
  kind: 'refused';
  retryAfterSeconds: number;
  key: string;
}

/** A lockout or a count the console shows to an admin. */
export interface ThrottleEntryView {
  key: string;
  rule: KeyRule;
  failures: number;
  inflight: number;
  lastAt: number;
  lockedUntil: number | null;
}

/**
 * Failure counting per key (an email, an email + account, a client address), atomic under concurrency:
 * `reserve` runs synchronously and counts the attempt as a failure in flight before the caller starts
 * its (slow) password check, so N parallel attempts for one key get at most the remaining allowance and
 * the rest are refused at once. `settle` then turns the reservation into a failure, a success (clears
 * the identity keys) or nothing (the check could not run: a broken service, a flow that asks for an
 * account). Kept in memory: a restart forgives, which is fine for a desktop console and keeps failed
 * attempts from ever being written to disk.
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
    if (e.inflight === 0 && e.lockedUntil <= now && now - e.lastAt > this.current.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private delayFor(over: number): number {
    if (over < 0) return 0;
    return Math.min(this.current.maxDelayMs, this.current.delayMs * 2 ** Math.min(over, 30));
  }

  /** The verdict for these keys without reserving anything (the Simulator's default, the console's view). */
  peek(keys: ThrottleKey[]): Refusal | { kind: 'go'; delayMs: number; attemptsLeft: number | null } {
    const now = this.clock.now();
    const s = this.current;
    let delayMs = 0;
    let attemptsLeft: number | null = null;
    for (const { key, rule } of keys) {
      const e = this.live(key, now);
      const counted = e ? e.failures + e.inflight : 0;
      if (rule === 'ceiling') {
        delayMs = Math.max(delayMs, this.delayFor(counted - CEILING_FACTOR * s.lockAfter));
        continue;
      }
      if (e && e.lockedUntil > now)
        return { kind: 'refused', key, retryAfterSeconds: Math.max(1, Math.ceil((e.lockedUntil - now) / 1000)) };
      // Attempts in flight may all fail: their lock is not there yet, but the allowance is spent.
      if (counted >= s.lockAfter)
        return { kind: 'refused', key, retryAfterSeconds: Math.max(1, Math.ceil(s.lockMs / 1000)) };
      delayMs = Math.max(delayMs, this.delayFor(counted - s.freeFailures));
      attemptsLeft = Math.min(attemptsLeft ?? Infinity, s.lockAfter - counted);
    }
    return { kind: 'go', delayMs, attemptsLeft };
  }

  /**
   * Reserves one attempt on every key, or refuses when any locking key is locked or has no allowance
   * left (counting attempts still in flight). Synchronous: nothing can run between the check and the count.
   */
  reserve(keys: ThrottleKey[]): Reservation | Refusal {
    const verdict = this.peek(keys);
    if (verdict.kind === 'refused') return verdict;
    const now = this.clock.now();
    for (const { key, rule } of keys) {
      const e = this.live(key, now) ?? { rule, failures: 0, inflight: 0, lastAt: now, lockedUntil: 0 };
      e.inflight += 1;
      e.lastAt = now;
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    this.evict();
    let settled = false;
    return {
      kind: 'go',
      delayMs: verdict.delayMs,
      attemptsLeft: verdict.attemptsLeft === null ? null : verdict.attemptsLeft - 1,
      settle: (outcome) => {
        if (settled) return;
        settled = true;
        this.settle(keys, outcome);
      },
    };
  }

  private settle(keys: ThrottleKey[], outcome: SettleOutcome): void {
    const now = this.clock.now();
    for (const { key, rule } of keys) {
      let e = this.entries.get(key);
      if (e) e.inflight = Math.max(0, e.inflight - 1);
      if (outcome === 'failure') {
        e ??= { rule, failures: 0, inflight: 0, lastAt: now, lockedUntil: 0 };
        if (e.lockedUntil <= now && now - e.lastAt > this.current.windowMs) e.failures = 0;
        e.failures += 1;
        e.lastAt = now;
        if (rule !== 'ceiling' && e.failures >= this.current.lockAfter) {
          e.lockedUntil = now + this.current.lockMs;
          e.failures = 0;
        }
        this.entries.delete(key);
        this.entries.set(key, e);
      } else if (outcome === 'success' && e && rule === 'identity') {
        e.failures = 0;
        e.lockedUntil = 0;
        if (e.inflight === 0) this.entries.delete(key);
      }
    }
    this.evict();
  }

  private evict(): void {
    for (const [key, e] of this.entries) {
      if (this.entries.size <= this.current.maxKeys) break;
      if (e.inflight === 0) this.entries.delete(key);
    }
  }

  /** What is counted now: locked keys first, then by most recent. */
  list(): ThrottleEntryView[] {
    const now = this.clock.now();
    const out: ThrottleEntryView[] = [];
    for (const key of [...this.entries.keys()]) {
      const e = this.live(key, now);
      if (!e) continue;
      if (e.failures === 0 && e.inflight === 0 && e.lockedUntil <= now) continue;
      out.push({
        key,
        rule: e.rule,
        failures: e.failures,
        inflight: e.inflight,
        lastAt: e.lastAt,
        lockedUntil: e.lockedUntil > now ? e.lockedUntil : null,
      });
    }
    return out.sort((a, b) => Number(b.lockedUntil !== null) - Number(a.lockedUntil !== null) || b.lastAt - a.lastAt);
  }

  /**
   * The keys that name one (normalized) email, whichever check counted them: the email, the email in
   * each account, for login, forgot, reset and the demo service. What "Unlock" on the user page clears.
   */
  keysOfEmail(email: string): string[] {
    const re = /^(?:(?:forgot|reset|demo):)?(?:email:(.*)|account:[^:]*:(.*))$/;
    return [...this.entries.keys()].filter((key) => {
      const m = re.exec(key);
      return m !== null && (m[1] ?? m[2]) === email;
    });
  }

  /**
   * SSO Desk's own lock on an email (login keys, any account), or null: the lock that every password
   * check obeys, whichever checker runs it and however it counts its own failures.
   */
  lockOfEmail(email: string): Refusal | null {
    const now = this.clock.now();
    let worst: Refusal | null = null;
    for (const key of this.keysOfEmail(email)) {
      if (/^(?:forgot|reset|demo):/.test(key)) continue;
      const e = this.live(key, now);
      if (!e || e.lockedUntil <= now) continue;
      const retryAfterSeconds = Math.max(1, Math.ceil((e.lockedUntil - now) / 1000));
      if (!worst || retryAfterSeconds > worst.retryAfterSeconds) worst = { kind: 'refused', key, retryAfterSeconds };
    }
    return worst;
  }

  /** Clears every key of an email together (see keysOfEmail); returns the keys that had counted something. */
  clearEmail(email: string): string[] {
    return this.keysOfEmail(email).filter((key) => this.clear(key));
  }

  /** Forgets a key's failures and lock; attempts in flight still settle. Returns whether anything was counted. */
  clear(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    const had = e.failures > 0 || e.lockedUntil > this.clock.now();
    e.failures = 0;
    e.lockedUntil = 0;
    if (e.inflight === 0) this.entries.delete(key);
    return had;
  }
}

/** Loopback (127.0.0.0/8, ::1): every local caller has it, so it identifies nobody. */
export const isSharedAddress = (address: string): boolean =>
  /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address) || address === 'localhost';

/**
 * The keys of one password check: the normalized email (and the email + account once it is known),
 * the client address when it is not shared, else the shared-address ceiling. `scope` keeps apart
 * checkers that are not SSO Desk's own (the demo pass-through service stands for another organization).
 */
export function attemptKeys(opts: {
  email: string;
  account?: string | undefined;
  peer: string | null;
  scope?: string;
}): ThrottleKey[] {
  const p = opts.scope ? `${opts.scope}:` : '';
  const keys: ThrottleKey[] = [{ key: `${p}email:${opts.email}`, rule: 'identity' }];
  if (opts.account !== undefined) keys.push({ key: `${p}account:${opts.account}:${opts.email}`, rule: 'identity' });
  if (opts.peer && !isSharedAddress(opts.peer)) keys.push({ key: `${p}peer:${opts.peer}`, rule: 'address' });
  else keys.push({ key: `${p}loopback`, rule: 'ceiling' });
  return keys;
}

/**
 * One password check's hold on the throttle, over one or more sets of keys (the email first, the email +
 * account once the account is known). Counted: each `enter` reserves; `settle` ends every reservation
 * with one outcome. Not counted (a Simulator run): `enter` only reads, `settle` does nothing.
 */
export class Attempt {
  private readonly held: Reservation[] = [];

  constructor(
    private readonly throttle: LoginThrottle,
    readonly counted: boolean,
  ) {}

  /** Reserves (or reads) these keys; on a refusal what this attempt already holds is released. */
  enter(keys: ThrottleKey[]): Refusal | { kind: 'go'; delayMs: number; attemptsLeft: number | null } {
    if (!this.counted) return this.throttle.peek(keys);
    const r = this.throttle.reserve(keys);
    if (r.kind === 'refused') {
      this.settle('neutral');
      return r;
    }
    this.held.push(r);
    return r;
  }

  settle(outcome: SettleOutcome): void {
    for (const r of this.held.splice(0)) r.settle(outcome);
  }
}

/** A key as the console shows it: which check counts it, what kind of key, and whom it names. */
export function describeKey(key: string): {
  scope: 'login' | 'forgot' | 'reset' | 'demo';
  kind: 'email' | 'account' | 'address' | 'loopback';
  subject: string;
} {
  const m = /^(?:(forgot|reset|demo):)?(email|account|peer|loopback)(?::(.*))?$/.exec(key);
  const scope = (m?.[1] ?? 'login') as 'login' | 'forgot' | 'reset' | 'demo';
  const rest = m?.[3] ?? '';
  switch (m?.[2]) {
    case 'email':
      return { scope, kind: 'email', subject: rest };
    case 'account': {
      const colon = rest.indexOf(':');
      return { scope, kind: 'account', subject: `${rest.slice(colon + 1)} in ${rest.slice(0, colon)}` };
    }
    case 'peer':
      return { scope, kind: 'address', subject: rest };
    default:
      return { scope, kind: 'loopback', subject: 'all local callers (127.0.0.1)' };
  }
}

/** What a password checker outside the login engine needs: the shared throttle and how to wait. */
export interface PasswordGate {
  readonly throttle: LoginThrottle;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * One password check under the throttle, for the checkers beside the login engine (the embedded IdP's
 * form, the demo pass-through service): reserve, wait when slowed, check, settle. `check` must take
 * about as long for an unknown email as for a wrong password (use `verifyNothing`).
 */
export async function gatedCheck(
  gate: PasswordGate,
  keys: ThrottleKey[],
  check: () => Promise<boolean>,
  /** The email whose lock on `POST /auth/login` refuses this check too (one lock for every password check). */
  lockedEmail?: string,
): Promise<{ kind: 'refused'; retryAfterSeconds: number } | { kind: 'checked'; ok: boolean }> {
  const locked = lockedEmail ? gate.throttle.lockOfEmail(lockedEmail) : null;
  if (locked) return { kind: 'refused', retryAfterSeconds: locked.retryAfterSeconds };
  const attempt = new Attempt(gate.throttle, true);
  const verdict = attempt.enter(keys);
  if (verdict.kind === 'refused') return { kind: 'refused', retryAfterSeconds: verdict.retryAfterSeconds };
  try {
    if (verdict.delayMs > 0) await gate.sleep(verdict.delayMs);
    const ok = await check();
    attempt.settle(ok ? 'success' : 'failure');
    return { kind: 'checked', ok };
  } catch (error) {
    attempt.settle('neutral');
    throw error;
  }
}
