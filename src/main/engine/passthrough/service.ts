import type { EngineContext } from '../context';
import { DEFAULT_THROTTLE, LoginThrottle, type ThrottleSettings } from './throttle';
import { getSetting } from '../../store/settings';
import { insertOutbox } from '../../store/auth-outbox';

/** Where the local reset flow's messages go. The default is the offline mailbox (auth_outbox). */
export interface Mailer {
  send(to: string, subject: string, text: string): void;
}

export interface AuthOptions {
  /** Overrides the numbers of the `auth.throttle` settings row, which override DEFAULT_THROTTLE. */
  throttle?: Partial<ThrottleSettings> | undefined;
  /** Lifetime of a session made by a login (default 8 h). */
  sessionTtlMs?: number | undefined;
  /** Lifetime of a reset token (default 30 min). */
  resetTtlMs?: number | undefined;
  /** Extra CA certificates (PEM) trusted for https Authentication URLs. */
  ca?: string | undefined;
  mailer?: Mailer | undefined;
  /** How a slowed attempt waits; tests pass a recorder. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** What the login, forgot and reset flows share for one running engine. */
export interface AuthService {
  readonly ctx: EngineContext;
  readonly throttle: LoginThrottle;
  readonly sessionTtlMs: number;
  readonly resetTtlMs: number;
  readonly ca: string | undefined;
  readonly mailer: Mailer;
  readonly sleep: (ms: number) => Promise<void>;
}

const services = new WeakMap<EngineContext, AuthService>();

/** The settings row that holds the throttle's numbers (JSON: any of ThrottleSettings' fields). */
export const THROTTLE_SETTING = 'auth.throttle';

/** The stored numbers, keeping only known fields that are non-negative finite numbers. */
function storedThrottle(ctx: EngineContext): Partial<ThrottleSettings> {
  const raw = getSetting<unknown>(ctx.store.db, THROTTLE_SETTING, {});
  const out: Partial<ThrottleSettings> = {};
  if (raw && typeof raw === 'object') {
    for (const key of Object.keys(DEFAULT_THROTTLE) as Array<keyof ThrottleSettings>) {
      const v = (raw as Record<string, unknown>)[key];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = v;
    }
  }
  return out;
}

function outboxMailer(ctx: EngineContext): Mailer {
  return {
    send(to, subject, text) {
      insertOutbox(ctx.store.db, {
        at: ctx.clock.now(),
        toEmail: to,
        subject,
        textEnc: ctx.platform.secrets.encrypt(text),
      });
    },
  };
}

/**
 * Sets up (or replaces) the auth service of an engine: the throttle's numbers, lifetimes, mailer.
 * The HTTP endpoints and the Simulator channels reach the same instance through `authService(ctx)`,
 * so that a failure counted on one is seen by the other.
 */
export function configureAuth(ctx: EngineContext, opts: AuthOptions = {}): AuthService {
  const service: AuthService = {
    ctx,
    throttle: new LoginThrottle(ctx.clock, { ...storedThrottle(ctx), ...opts.throttle }),
    sessionTtlMs: opts.sessionTtlMs ?? 8 * 3600_000,
    resetTtlMs: opts.resetTtlMs ?? 30 * 60_000,
    ca: opts.ca,
    mailer: opts.mailer ?? outboxMailer(ctx),
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  services.set(ctx, service);
  return service;
}

/** After an import wrote the `auth.throttle` row: the live throttle takes its numbers (counted failures stay). */
export function reloadThrottle(ctx: EngineContext): void {
  const service = services.get(ctx);
  if (service) service.throttle.configure(storedThrottle(ctx));
}

/** The engine's auth service, set up with the defaults on first use. */
export function authService(ctx: EngineContext): AuthService {
  return services.get(ctx) ?? configureAuth(ctx);
}
