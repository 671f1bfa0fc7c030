import { decide, type AccountDecision } from '../policy';
import { getPassthrough } from '../../store/sso-config';
import { getUser, setPasswordHash } from '../../store/users';
import {
  findPasswordReset,
  insertPasswordReset,
  markPasswordResetUsed,
  spendPendingResets,
} from '../../store/password-resets';
import { normalizeEmail } from '@shared/domain';
import type { TraceStep } from '@shared/contract/passthrough';
import { constantTimeEqual, hashPassword, randomToken, sha256 } from '../crypto/hash';
import { renderForgotRequest } from './render';
import { outboundFor } from '../network/outbound';
import { sendRequest } from './send';
import { Trace } from '../trace';
import { placeholderValues, plainPeer } from './values';
import { Attempt, attemptKeys, isSharedAddress } from './throttle';
import { safeHost, traceHttp, type CallMeta } from './login';
import type { AuthService } from './service';

export interface ForgotResult {
  status: number;
  code: string | null;
  message: string;
  accounts?: Array<{ id: string; name: string }>;
  retryAfterSeconds?: number;
  trace: TraceStep[];
}

/** The one answer for "we may have sent something": the same for an unknown email and a local reset. */
export const MAYBE_SENT = 'If this email is registered, password-reset instructions are on their way.';

const noSecret = (s: string) => s;

/**
 * Forgot password, per the account's method: SSO enforced → refused with the pointer to "Sign in with
 * SSO"; External user authentication with a Forgot-password URL → a GET to it with every placeholder
 * but the password (200 = sent); SSO Desk password → a one-time reset token (30 minutes, stored only
 * hashed) sent to the user's mailbox. An unknown email gets the very answer a local reset gets, so
 * this endpoint tells no more than login does.
 */
export async function forgotPassword(
  svc: AuthService,
  req: { email: string; account?: string | undefined },
  meta: CallMeta & { device?: { os?: string; name?: string; ip?: string } },
): Promise<ForgotResult> {
  const { db } = svc.ctx.store;
  const started = svc.ctx.clock.now();
  const email = normalizeEmail(req.email);
  const trace = new Trace();
  // Every request counts (per email, whether it exists or not, and per address): it sends something.
  const attempt = new Attempt(svc.throttle, meta.actor === 'api' || meta.countAgainstCustomer === true);
  const finish = (
    r: Omit<ForgotResult, 'trace'>,
    a: { accountId?: string; method?: string; outcome: string },
  ): ForgotResult => {
    attempt.settle('failure');
    svc.ctx.audit({
      kind: 'auth.forgot',
      accountId: a.accountId ?? null,
      email,
      actor: meta.actor === 'api' ? `api ${meta.peer ?? ''}`.trim() : 'simulator',
      method: a.method ?? null,
      outcome: a.outcome,
      reason: r.message,
      durationMs: svc.ctx.clock.now() - started,
      detail: { status: r.status, code: r.code, trace: trace.steps },
    });
    svc.ctx.log(`auth.forgot ${email} ${a.outcome}: ${r.message}`);
    return { ...r, trace: trace.steps };
  };

  const gate = attempt.enter(attemptKeys({ email, peer: plainPeer(meta.peer), scope: 'forgot' }));
  if (gate.kind === 'refused') {
    trace.add(
      'throttle',
      'fail',
      `too many password-reset requests for this email or address; refused for ${gate.retryAfterSeconds} s`,
    );
    return finish(
      {
        status: 429,
        code: 'too_many_attempts',
        message: `Too many password-reset requests. Try again in ${gate.retryAfterSeconds} seconds.`,
        retryAfterSeconds: gate.retryAfterSeconds,
      },
      { outcome: 'throttled' },
    );
  }
  if (gate.delayMs > 0) {
    trace.add('throttle', 'info', `slowed down by ${gate.delayMs} ms after repeated requests`);
    await svc.sleep(gate.delayMs);
  }

  const verdict = decide(db, email);
  if (verdict.kind === 'not_registered' || verdict.accounts.length === 0) {
    trace.add('policy', 'info', verdict.kind === 'not_registered' ? verdict.reason : `${email} belongs to no account`);
    return finish({ status: 202, code: null, message: MAYBE_SENT }, { outcome: 'ignored' });
  }
  trace.add('policy', 'info', verdict.accounts.map((a) => a.reason).join('\n'));
  let chosen: AccountDecision | undefined;
  if (req.account !== undefined) chosen = verdict.accounts.find((a) => a.accountId === req.account);
  else if (verdict.accounts.length === 1) chosen = verdict.accounts[0];
  else {
    // Login names the accounts too; asking here reveals nothing login does not.
    return finish(
      {
        status: 409,
        code: 'choose_account',
        message: `${email} belongs to several accounts; choose one and send it as "account".`,
        accounts: verdict.accounts.map((a) => ({ id: a.accountId, name: a.accountName })),
      },
      { outcome: 'choose_account' },
    );
  }
  if (!chosen)
    return finish(
      { status: 403, code: 'not_a_member', message: `${email} is not a member of account "${req.account}".` },
      { outcome: 'refused' },
    );

  if (chosen.ssoEnabled || chosen.passwordMethod === null) {
    trace.add('method', 'fail', chosen.reason);
    return finish(
      {
        status: 409,
        code: 'sso_required',
        message: `${chosen.accountName} requires single sign-on: passwords are not reset here; use "Sign in with SSO".`,
      },
      { accountId: chosen.accountId, method: 'sso', outcome: 'refused' },
    );
  }
  const user = getUser(db, verdict.userId)!;
  const branch = { svc, email, user, account: chosen, trace, finish, meta };
  return chosen.passwordMethod === 'passthrough' ? forgotViaPassthrough(branch) : sendLocalReset(branch);
}

/** What a forgot-password branch needs from the request that reached it. */
interface ForgotBranch {
  svc: AuthService;
  email: string;
  user: NonNullable<ReturnType<typeof getUser>>;
  account: AccountDecision;
  trace: Trace;
  finish: (r: Omit<ForgotResult, 'trace'>, a: { accountId?: string; method?: string; outcome: string }) => ForgotResult;
  meta: CallMeta & { device?: { os?: string; name?: string; ip?: string } };
}

/** External user authentication: a GET to the account's Forgot-password URL, every placeholder but the password. */
async function forgotViaPassthrough({ svc, email, user, account, trace, finish, meta }: ForgotBranch) {
  const refused = { accountId: account.accountId, method: 'passthrough' };
  const cfg = getPassthrough(svc.ctx.store.db, account.accountId)!;
  if (!cfg.forgotPasswordUrl) {
    trace.add(
      'method',
      'fail',
      `${account.accountName} checks passwords with its own service and has no Forgot-password URL`,
    );
    return finish(
      {
        status: 409,
        code: 'forgot_unavailable',
        message:
          `${account.accountName} checks passwords with its own service and has no Forgot-password ` +
          `URL; ask that organization’s IT to reset it.`,
      },
      { ...refused, outcome: 'refused' },
    );
  }
  const { USERPASSWORD: _omit, ...values } = placeholderValues(
    user,
    email,
    '',
    account.accountId,
    meta.device,
    meta.peer,
  );
  const rendered = renderForgotRequest(cfg, values);
  if (!rendered.ok) {
    trace.add('external request', 'fail', rendered.reason);
    return finish(
      { status: 400, code: 'unsafe_value', message: `Not sent: ${rendered.reason}.` },
      { ...refused, outcome: 'refused' },
    );
  }
  trace.add('external request', 'info', `GET ${rendered.redacted.url}`);
  const res = await sendRequest(rendered.request, {
    timeoutMs: cfg.timeoutMs,
    ca: svc.ca,
    outbound: outboundFor(svc.ctx),
  });
  const http = traceHttp(rendered.redacted, res, noSecret);
  const host = safeHost(cfg.forgotPasswordUrl);
  if (res.kind === 'response' && res.status === 200) {
    trace.add('external answer', 'ok', `${host} answered 200: reset instructions sent`, http);
    return finish(
      {
        status: 202,
        code: null,
        message: `${account.accountName}’s own service has sent password-reset instructions.`,
      },
      { ...refused, outcome: 'sent' },
    );
  }
  const why =
    res.kind === 'error'
      ? res.message
      : `it answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}; only 200 means sent`;
  trace.add('external answer', 'fail', `${host}: ${why}`, http);
  return finish(
    { status: 502, code: 'forgot_failed', message: `The Forgot-password request to ${host} failed: ${why}.` },
    { ...refused, outcome: 'failed' },
  );
}

/** An SSO Desk password: a one-time reset token (stored only hashed) sent to the user's mailbox. */
function sendLocalReset({ svc, user, account, trace, finish }: ForgotBranch): ForgotResult {
  const token = randomToken(32);
  const now = svc.ctx.clock.now();
  insertPasswordReset(svc.ctx.store.db, {
    tokenHash: sha256(token),
    userId: user.id,
    accountId: account.accountId,
    createdAt: now,
    expiresAt: now + svc.resetTtlMs,
  });
  const minutes = Math.round(svc.resetTtlMs / 60_000);
  const where = svc.ctx.urls.api ? `${svc.ctx.urls.api}/auth/password/reset` : 'POST /auth/password/reset';
  svc.mailer.send(
    user.email,
    'Reset your SSO Desk password',
    `Someone asked to reset the password of ${user.email} for ${account.accountName}.\n` +
      `Send {"token": "${token}", "password": "<new password>"} to ${where} within ${minutes} minutes. The token works once.\n` +
      'If it was not you, ignore this message.',
  );
  trace.add('reset', 'ok', `a one-time reset token (valid ${minutes} min) was sent to ${user.email}’s mailbox`);
  return finish(
    { status: 202, code: null, message: MAYBE_SENT },
    { accountId: account.accountId, method: 'password', outcome: 'sent' },
  );
}

export interface ResetResult {
  status: number;
  code: string | null;
  message: string;
  retryAfterSeconds?: number;
}

/**
 * Spends a reset token: unknown, used or expired tokens all read the same. The account's policy is
 * checked again, so a token issued before SSO was switched on cannot set a password after.
 */
export async function resetPassword(
  svc: AuthService,
  req: { token: string; password: string },
  meta: CallMeta,
): Promise<ResetResult> {
  const peer = plainPeer(meta.peer);
  // Before the token is looked up nobody is known: the client address, or all local callers together.
  const attempt = new Attempt(svc.throttle, meta.actor === 'api' || meta.countAgainstCustomer === true);
  const gate = attempt.enter([
    peer && !isSharedAddress(peer)
      ? { key: `reset:peer:${peer}`, rule: 'address' }
      : { key: 'reset:loopback', rule: 'ceiling' },
  ]);
  if (gate.kind === 'refused') {
    return {
      status: 429,
      code: 'too_many_attempts',
      message: `Too many password-reset attempts. Try again in ${gate.retryAfterSeconds} seconds.`,
      retryAfterSeconds: gate.retryAfterSeconds,
    };
  }
  if (gate.delayMs > 0) await svc.sleep(gate.delayMs);
  try {
    const r = await spendResetToken(svc, req, meta);
    attempt.settle(r.code === 'invalid_token' ? 'failure' : r.status === 200 ? 'success' : 'neutral');
    return r;
  } catch (error) {
    attempt.settle('neutral');
    throw error;
  }
}

async function spendResetToken(
  svc: AuthService,
  req: { token: string; password: string },
  meta: CallMeta,
): Promise<ResetResult> {
  const { db } = svc.ctx.store;
  const now = svc.ctx.clock.now();
  const hash = sha256(req.token);
  const row = findPasswordReset(db, hash);
  const invalid: ResetResult = {
    status: 400,
    code: 'invalid_token',
    message: 'This reset token is unknown, already used or expired; ask for a new one.',
  };
  const audit = (outcome: string, reason: string, accountId: string | null, email: string | null) =>
    svc.ctx.audit({
      kind: 'auth.reset',
      accountId,
      email,
      actor: meta.actor === 'api' ? `api ${meta.peer ?? ''}`.trim() : 'simulator',
      method: 'password',
      outcome,
      reason,
    });
  if (!row || !constantTimeEqual(row.tokenHash, hash) || row.usedAt !== null || row.expiresAt <= now) {
    audit('refused', 'invalid reset token', row?.accountId ?? null, null);
    return invalid;
  }
  const user = getUser(db, row.userId);
  if (!user) return invalid;
  const decision = (() => {
    const v = decide(db, user.email);
    return v.kind === 'decided' ? v.accounts.find((a) => a.accountId === row.accountId) : undefined;
  })();
  if (!decision || decision.ssoEnabled || decision.passwordMethod !== 'password') {
    audit('refused', decision?.reason ?? 'no longer a member', row.accountId, user.email);
    return {
      status: 409,
      code: decision?.ssoEnabled ? 'sso_required' : 'reset_unavailable',
      message: decision?.ssoEnabled
        ? 'This account now requires single sign-on: use "Sign in with SSO".'
        : 'This account no longer uses SSO Desk passwords.',
    };
  }
  const passwordHash = await hashPassword(req.password);
  const applied = db.transaction(() => {
    if (!markPasswordResetUsed(db, row.id, now)) return false;
    setPasswordHash(db, user.id, passwordHash);
    spendPendingResets(db, user.id, now);
    return true;
  })();
  if (!applied) return invalid;
  audit('ok', 'password changed with a reset token', row.accountId, user.email);
  return { status: 200, code: null, message: 'The password has been changed. Sign in with the new one.' };
}
