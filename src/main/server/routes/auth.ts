import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { EngineContext } from '../../engine/context';
import { DeskError } from '@shared/errors';
import { ForgotRequest, LoginRequest, ResetRequest } from '@shared/contract/passthrough';
import { describeIssue } from '@shared/zod-path';
import { passwordLogin, type LoginResult } from '../../engine/passthrough/login';
import { forgotPassword, MAYBE_SENT, resetPassword } from '../../engine/passthrough/forgot';
import { authService } from '../../engine/passthrough/service';
import { endSession, sessionInfo } from '../../engine/passthrough/session';
import { sendJson } from '../http';
import { readJsonBody } from './json-body';
import type { Route } from '../router';

const LIMIT = 16 * 1024;

async function readValid<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const raw = await readJsonBody(req, LIMIT);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const { message } = describeIssue(parsed.error);
    throw new DeskError('invalid_input', message, { status: 400 });
  }
  return parsed.data;
}

/**
 * Answers that depend on whether the email exists, before its password was found right: all read as
 * a wrong password (same status, body and code). The Simulator, the trace and the audit keep the real one.
 */
const CREDENTIAL_CODES = new Set(['authentication_failed', 'not_registered', 'no_account', 'not_a_member']);
export const WRONG_CREDENTIALS = {
  status: 401,
  code: 'authentication_failed',
  message: 'Wrong email or password.',
} as const;

/** The HTTP status and body of a login answer: the stable error shape, plus what the caller needs to go on. */
function loginAnswer(r: LoginResult): { status: number; body: Record<string, unknown> } {
  if (r.outcome === 'authenticated')
    return {
      status: 200,
      body: { status: 'authenticated', session: r.session, user: r.user, account: r.account, method: r.method },
    };
  if (r.code !== null && CREDENTIAL_CODES.has(r.code))
    return {
      status: WRONG_CREDENTIALS.status,
      body: { error: { code: WRONG_CREDENTIALS.code, message: WRONG_CREDENTIALS.message } },
    };
  return { status: r.status, body: loginBody(r) };
}

function loginBody(r: LoginResult): Record<string, unknown> {
  const body: Record<string, unknown> = { error: { code: r.code ?? 'failed', message: r.message } };
  if (r.accounts) body.accounts = r.accounts;
  if (r.sso) body.sso = r.sso;
  if (r.retryAfterSeconds !== undefined) body.retryAfter = r.retryAfterSeconds;
  return body;
}

/** The bearer token of `Authorization: Bearer <token>`. */
function bearer(req: IncomingMessage): string {
  const m = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.headers.authorization ?? '');
  if (!m)
    throw new DeskError(
      'invalid_session',
      'send the session token from POST /auth/login as "Authorization: Bearer <token>"',
      { status: 401 },
    );
  return m[1]!;
}

/**
 * The platform's own login endpoints: `POST /auth/login`, `POST /auth/password/forgot`,
 * `POST /auth/password/reset`, and the session they open: `GET /auth/session`, `POST /auth/logout`
 * (bearer token). The peer address of the socket feeds `{{DEVICEIP}}` and the throttle.
 */
export function authRoutes(ctx: EngineContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/auth/login',
      handle: async ({ req, res }) => {
        const input = await readValid(req, LoginRequest);
        const r = await passwordLogin(authService(ctx), input, {
          peer: req.socket.remoteAddress ?? null,
          actor: 'api',
        });
        const headers: Record<string, string> =
          r.retryAfterSeconds !== undefined ? { 'Retry-After': String(r.retryAfterSeconds) } : {};
        const answer = loginAnswer(r);
        sendJson(res, answer.status, answer.body, headers);
      },
    },
    {
      method: 'GET',
      path: '/auth/session',
      handle: ({ req, res }) => sendJson(res, 200, sessionInfo(ctx, bearer(req))),
    },
    {
      method: 'POST',
      path: '/auth/logout',
      handle: ({ req, res }) => {
        endSession(ctx, bearer(req));
        sendJson(res, 200, { status: 'logged_out' });
      },
    },
    {
      method: 'POST',
      path: '/auth/password/forgot',
      handle: async ({ req, res }) => {
        const input = await readValid(req, ForgotRequest);
        const r = await forgotPassword(authService(ctx), input, {
          peer: req.socket.remoteAddress ?? null,
          actor: 'api',
        });
        // One answer whether the email exists or not (and whatever its account does): the audit has the real one.
        if (r.status === 429)
          sendJson(
            res,
            429,
            { error: { code: r.code, message: r.message }, retryAfter: r.retryAfterSeconds },
            { 'Retry-After': String(r.retryAfterSeconds) },
          );
        else sendJson(res, 202, { status: 'accepted', message: MAYBE_SENT });
      },
    },
    {
      method: 'POST',
      path: '/auth/password/reset',
      handle: async ({ req, res }) => {
        const input = await readValid(req, ResetRequest);
        const r = await resetPassword(authService(ctx), input, {
          peer: req.socket.remoteAddress ?? null,
          actor: 'api',
        });
        const headers: Record<string, string> =
          r.retryAfterSeconds !== undefined ? { 'Retry-After': String(r.retryAfterSeconds) } : {};
        sendJson(
          res,
          r.status,
          r.code ? { error: { code: r.code, message: r.message } } : { status: 'password_changed', message: r.message },
          headers,
        );
      },
    },
  ];
}
