import type { EngineContext } from '../context';
import { LoginThrottle, type ThrottleSettings } from './throttle';
import { insertOutbox } from '../../store/auth-outbox';

/** Where the local reset flow's messages go. The default is the offline mailbox (auth_outbox). */
export interface Mailer {
  send(to: string, subject: string, text: string): void;
}

export interface AuthOptions {
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

function outboxMailer(ctx: EngineContext): Mailer {
  return {
    send(to, subject, text) {
      insertOutbox(ctx.store.db, { at: ctx.clock.now(), toEmail: to, subject, textEnc: ctx.platform.secrets.encrypt(text) });
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
    throttle: new LoginThrottle(ctx.clock, opts.throttle),
    sessionTtlMs: opts.sessionTtlMs ?? 8 * 3600_000,
    resetTtlMs: opts.resetTtlMs ?? 30 * 60_000,
    ca: opts.ca,
    mailer: opts.mailer ?? outboxMailer(ctx),
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
  services.set(ctx, service);
  return service;
}

/** The engine's auth service, set up with the defaults on first use. */
export function authService(ctx: EngineContext): AuthService {
  return services.get(ctx) ?? configureAuth(ctx);
}
