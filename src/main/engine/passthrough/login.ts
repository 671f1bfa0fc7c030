import { decide, type AccountDecision } from '../policy';
import { getPassthrough, getOidc } from '../../store/sso-config';
import { getUser, type UserRow } from '../../store/users';
import { insertAuthSession } from '../../store/auth-sessions';
import { normalizeEmail } from '@shared/domain';
import type { LoginRequest, SimulatedLogin, TraceHttp } from '@shared/contract/passthrough';
import { randomToken, sha256, verifyPassword, verifyNothing } from '../crypto/hash';
import { secretScrubber } from './redact';
import { renderRequest, MASK, type RenderedRequest } from './render';
import { outboundFor } from '../network/outbound';
import { sendRequest, type SendResult } from './send';
import { Trace } from '../trace';
import { placeholderValues, plainPeer } from './values';
import type { AuthService } from './service';
import { Attempt, attemptKeys, type Refusal, type SettleOutcome } from './throttle';

/** Who is calling: the HTTP endpoint (with the socket's peer address) or the Simulator. */
export interface CallMeta {
  peer: string | null;
  actor: 'api' | 'simulator';
  /** The Simulator run this login belongs to: its audit event links back to the run. */
  runId?: string;
  /**
   * Simulator only: count this run against the customer like a real attempt (support asks for it).
   * By default a Simulator run only reads the throttle: refused when the customer is locked out, never counted.
   */
  countAgainstCustomer?: boolean | undefined;
}

/** A login's answer: what the Simulator shows, plus the session token for the HTTP caller. */
export type LoginResult = SimulatedLogin & {
  session?: { token: string; expiresAt: number };
  sso?: { account: string; accountName: string; action: string; issuer: string | null };
};

const choices = (accounts: AccountDecision[]) =>
  accounts.map((a) => ({
    id: a.accountId,
    name: a.accountName,
    method: a.ssoEnabled ? ('sso' as const) : (a.passwordMethod ?? 'password'),
  }));

/** Names of response headers whose values are credentials: masked in traces whatever they hold. */
const SECRET_RESPONSE_HEADERS = new Set(['set-cookie', 'authorization', 'proxy-authorization', 'www-authenticate']);

/** The trace form of one exchange: the redacted request, the answer scrubbed of the password. */
export function traceHttp(redacted: RenderedRequest, res: SendResult | null, scrub: (s: string) => string): TraceHttp {
  return {
    request: { method: redacted.method, url: redacted.url, headers: redacted.headers, body: redacted.body },
    response:
      res && res.kind === 'response'
        ? {
            status: res.status,
            statusText: scrub(res.statusText),
            headers: res.headers.map(([n, v]) => [n, SECRET_RESPONSE_HEADERS.has(n.toLowerCase()) ? MASK : scrub(v)]),
            body: scrub(res.body),
            truncated: res.truncated,
          }
        : null,
    ms: res ? res.ms : 0,
  };
}

type Check =
  { ok: true; detail: string } | { ok: false; status: number; code: string; reason: string; countsAsFailure: boolean };

async function checkPassthrough(
  svc: AuthService,
  user: UserRow,
  email: string,
  password: string,
  a: AccountDecision,
  req: LoginRequest,
  meta: CallMeta,
  trace: Trace,
  scrub: (s: string) => string,
): Promise<Check> {
  const cfg = getPassthrough(svc.ctx.store.db, a.accountId);
  if (!cfg)
    return {
      ok: false,
      status: 500,
      code: 'passthrough_missing',
      reason: `${a.accountName} has no External user authentication configured`,
      countsAsFailure: false,
    };
  const rendered = renderRequest(cfg, placeholderValues(user, email, password, a.accountId, req.device, meta.peer));
  if (!rendered.ok) {
    trace.add('external request', 'fail', rendered.reason);
    return { ok: false, status: 400, code: 'unsafe_value', reason: rendered.reason, countsAsFailure: false };
  }
  trace.add(
    'external request',
    'info',
    `${rendered.redacted.method} ${rendered.redacted.url} (Data As ${cfg.dataAs}, auth ${cfg.authType}, timeout ${cfg.timeoutMs / 1000} s)`,
  );
  const res = await sendRequest(rendered.request, {
    timeoutMs: cfg.timeoutMs,
    ca: svc.ca,
    outbound: outboundFor(svc.ctx),
  });
  const http = traceHttp(rendered.redacted, res, scrub);
  if (res.kind === 'error') {
    const reason = `${safeHost(cfg.url)}: ${scrub(res.message)}`;
    trace.add('external answer', 'fail', reason, http);
    return { ok: false, status: 502, code: 'external_auth_unavailable', reason, countsAsFailure: false };
  }
  const line = `${res.status}${res.statusText ? ` ${scrub(res.statusText)}` : ''}`;
  if (res.status === 200) {
    trace.add('external answer', 'ok', `${safeHost(cfg.url)} answered ${line} in ${res.ms} ms: authenticated`, http);
    return { ok: true, detail: `authenticated by ${safeHost(cfg.url)}` };
  }
  let reason: string;
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
    reason =
      `${safeHost(cfg.url)} answered ${line}, a redirect${location ? ` to ${scrub(location)}` : ''}; ` +
      `redirects are not followed and only 200 authenticates`;
  } else if (res.status >= 200 && res.status < 300) {
    reason = `${safeHost(cfg.url)} answered ${line}; only exactly 200 authenticates`;
  } else {
    reason = `${safeHost(cfg.url)} answered ${line}; only 200 authenticates`;
  }
  trace.add('external answer', 'fail', reason, http);
  // A 5xx says the service is broken, not that the password is wrong: it does not count against the user.
  return {
    ok: false,
    status: res.status >= 500 ? 502 : 401,
    code: res.status >= 500 ? 'external_auth_unavailable' : 'authentication_failed',
    reason,
    countsAsFailure: res.status < 500,
  };
}

async function checkLocal(user: UserRow, password: string, trace: Trace): Promise<Check> {
  if (!user.passwordHash) {
    trace.add('password', 'fail', `${user.email} has no SSO Desk password set`);
    await verifyNothing(password);
    return {
      ok: false,
      status: 401,
      code: 'authentication_failed',
      reason: 'no password is set for this user; use Forgot password',
      countsAsFailure: true,
    };
  }
  if (await verifyPassword(password, user.passwordHash)) {
    trace.add('password', 'ok', 'the password matches the stored scrypt hash');
    return { ok: true, detail: 'SSO Desk password' };
  }
  trace.add('password', 'fail', 'the password does not match');
  return {
    ok: false,
    status: 401,
    code: 'authentication_failed',
    reason: 'wrong email or password',
    countsAsFailure: true,
  };
}

/** The refusal of a throttled attempt, as the caller sees it (429 with Retry-After). */
function throttledResult(gate: Refusal, trace: Trace): Omit<LoginResult, 'trace'> {
  const what = gate.key.includes('peer:') ? 'this address' : 'this email';
  trace.add(
    'throttle',
    'fail',
    `too many failed logins for ${what} (${gate.key}); refused for ${gate.retryAfterSeconds} s`,
  );
  return {
    outcome: 'throttled',
    status: 429,
    code: 'too_many_attempts',
    message: `Too many failed logins for ${what}. Try again in ${gate.retryAfterSeconds} seconds.`,
    retryAfterSeconds: gate.retryAfterSeconds,
  };
}

/**
 * The platform's password login, the one engine behind `POST /auth/login` and the Simulator.
 * Order: throttle (the attempt is reserved, counted as a failure in flight, before anything slow runs)
 * → the email must be registered (else `not_registered` after a dummy password check, and no external
 * call) → the account (asked for when several; its email + account key is reserved too) → the policy's
 * method for it: SSO enforced → `sso_required`; External user authentication → the rendered request,
 * where exactly HTTP 200 authenticates; else the SSO Desk password. Success makes a session (its token
 * stored hashed) and clears the email's count. A Simulator run only reads the throttle unless
 * `meta.countAgainstCustomer`, and its trace says how many attempts the customer has left.
 * The password never leaves this function except inside the request to the external service: the
 * trace, the audit event, the log line and every message carry `••••` in its place.
 * A caller that passes its own `trace` (the Simulator's run registry) reads the steps as they are added.
 *
 * Long because the order of its checks is the security property (throttle before lookup, a dummy hash for unknown
 * emails, deactivated before any password check, the SSO refusal before any external call); it reads top to bottom
 * as the list above.
 */
export async function passwordLogin(
  svc: AuthService,
  req: LoginRequest,
  meta: CallMeta,
  trace: Trace = new Trace(() => svc.ctx.clock.now()),
): Promise<LoginResult> {
  const { db } = svc.ctx.store;
  const started = svc.ctx.clock.now();
  const email = normalizeEmail(req.email);
  const peer = plainPeer(meta.peer);
  const scrub = secretScrubber(req.password, email);
  const attempt = new Attempt(svc.throttle, meta.actor === 'api' || meta.countAgainstCustomer === true);

  const finish = (
    r: Omit<LoginResult, 'trace'>,
    audit: { accountId?: string; method?: string; settle?: SettleOutcome },
  ): LoginResult => {
    attempt.settle(r.outcome === 'authenticated' ? 'success' : (audit.settle ?? 'neutral'));
    const message = r.message;
    svc.ctx.audit({
      kind: 'auth.login',
      accountId: audit.accountId ?? null,
      email,
      actor: meta.actor === 'api' ? `api ${peer ?? ''}`.trim() : 'simulator',
      method: audit.method ?? null,
      outcome: r.outcome,
      reason: message,
      durationMs: svc.ctx.clock.now() - started,
      // The device (as the client stated it) lets the sign-in logs replay the attempt in the Simulator.
      detail: {
        status: r.status,
        code: r.code,
        counted: attempt.counted,
        ...(req.device ? { device: req.device } : {}),
        trace: [...trace.steps],
      },
      ...(meta.runId ? { runId: meta.runId } : {}),
    });
    svc.ctx.log(`auth.login ${email} ${r.outcome}${r.code ? ` (${r.code})` : ''}: ${message}`);
    return { ...r, message, ...(attemptsLeft !== undefined ? { attemptsLeft } : {}), trace: [...trace.steps] };
  };

  const gate = attempt.enter(attemptKeys({ email, peer }));
  const attemptsLeft = gate.kind === 'go' ? gate.attemptsLeft : undefined;
  if (gate.kind === 'refused') return finish(throttledResult(gate, trace), {});
  if (!attempt.counted) {
    const left =
      gate.attemptsLeft === null
        ? ''
        : `; ${email} has ${gate.attemptsLeft} failed attempt${gate.attemptsLeft === 1 ? '' : 's'} left before the lock`;
    trace.add('throttle', 'info', `this run does not count against the customer${left}`);
  }
  if (gate.delayMs > 0) {
    trace.add('throttle', 'info', `slowed down by ${gate.delayMs} ms after repeated failures`);
    await svc.sleep(gate.delayMs);
  }

  const verdict = decide(db, email);
  if (verdict.kind === 'not_registered') {
    trace.add('policy', 'fail', `${verdict.reason}; no external service is called`);
    await verifyNothing(req.password);
    return finish(
      { outcome: 'not_registered', status: 401, code: 'not_registered', message: `${email} is not registered.` },
      { settle: 'failure' },
    );
  }
  trace.add('policy', 'info', verdict.accounts.map((a) => a.reason).join('\n') || `${email} belongs to no account`);
  const user = getUser(db, verdict.userId)!;

  if (verdict.accounts.length === 0) {
    await verifyNothing(req.password);
    return finish(
      { outcome: 'refused', status: 403, code: 'no_account', message: `${email} belongs to no account.` },
      { settle: 'failure' },
    );
  }
  let chosen: AccountDecision | undefined;
  if (req.account !== undefined) {
    chosen = verdict.accounts.find((a) => a.accountId === req.account);
    if (!chosen) {
      trace.add('account', 'fail', `${email} is not a member of "${req.account}"`);
      await verifyNothing(req.password);
      return finish(
        {
          outcome: 'refused',
          status: 403,
          code: 'not_a_member',
          message: `${email} is not a member of account "${req.account}".`,
          accounts: choices(verdict.accounts),
        },
        { settle: 'failure' },
      );
    }
  } else if (verdict.accounts.length === 1) {
    chosen = verdict.accounts[0]!;
  } else {
    trace.add('account', 'info', `${email} belongs to ${verdict.accounts.length} accounts: choose one`);
    return finish(
      {
        outcome: 'choose_account',
        status: 409,
        code: 'choose_account',
        message: `${email} belongs to several accounts; choose one and send it as "account".`,
        accounts: choices(verdict.accounts),
      },
      {},
    );
  }
  trace.add('account', 'ok', `account ${chosen.accountName} (${chosen.accountId})`);
  const perAccount = attempt.enter([{ key: `account:${chosen.accountId}:${email}`, rule: 'identity' }]);
  if (perAccount.kind === 'refused') return finish(throttledResult(perAccount, trace), { accountId: chosen.accountId });

  const base = { account: { id: chosen.accountId, name: chosen.accountName } };
  if (!chosen.active) {
    // Deactivated (by provisioning or an admin): refused before any password check, so no request
    // reaches a pass-through service and no hash is computed.
    trace.add('membership', 'fail', chosen.reason);
    return finish(
      { ...base, outcome: 'refused', status: 403, code: 'deactivated', message: `Login refused: ${chosen.reason}.` },
      { accountId: chosen.accountId },
    );
  }
  // passwordMethod is null where SSO is enforced; an owner with the break-glass keeps one.
  if (chosen.passwordMethod === null) {
    const oidc = getOidc(db, chosen.accountId);
    trace.add('method', 'fail', chosen.reason);
    return {
      ...finish(
        {
          ...base,
          outcome: 'sso_required',
          status: 409,
          code: 'sso_required',
          message: `${chosen.accountName} requires single sign-on: use "Sign in with SSO".`,
          method: 'sso',
        },
        { accountId: chosen.accountId, method: 'sso' },
      ),
      sso: {
        account: chosen.accountId,
        accountName: chosen.accountName,
        action: 'Sign in with SSO',
        issuer: oidc?.issuer ?? null,
      },
    };
  }
  const method = chosen.passwordMethod;
  trace.add('method', 'info', chosen.reason);

  const check =
    method === 'passthrough'
      ? await checkPassthrough(svc, user, email, req.password, chosen, req, meta, trace, scrub)
      : await checkLocal(user, req.password, trace);
  if (!check.ok) {
    const outcome = check.code === 'unsafe_value' ? 'refused' : 'failed';
    return finish(
      { ...base, outcome, status: check.status, code: check.code, message: `Login failed: ${check.reason}.`, method },
      { accountId: chosen.accountId, method, settle: check.countsAsFailure ? 'failure' : 'neutral' },
    );
  }

  const token = randomToken(32);
  const now = svc.ctx.clock.now();
  const expiresAt = now + svc.sessionTtlMs;
  insertAuthSession(db, {
    tokenHash: sha256(token),
    userId: user.id,
    accountId: chosen.accountId,
    method,
    createdAt: now,
    expiresAt,
  });
  trace.add(
    'session',
    'ok',
    `session created for ${email} in ${chosen.accountName}, valid until ${new Date(expiresAt).toISOString()}`,
  );
  const result = finish(
    {
      ...base,
      outcome: 'authenticated',
      status: 200,
      code: null,
      message: `${email} is signed in to ${chosen.accountName} (${check.detail}).`,
      method,
      user: { email: user.email, name: user.name },
    },
    { accountId: chosen.accountId, method },
  );
  return { ...result, session: { token, expiresAt } };
}

export const safeHost = (url: string): string => {
  try {
    return new URL(url.replace(/\{\{[A-Z]+\}\}/g, 'x')).host;
  } catch {
    return 'the external service';
  }
};
