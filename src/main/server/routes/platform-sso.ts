import type { IncomingMessage } from 'node:http';
import type { EngineContext } from '../../engine/context';
import { auditSsoRefusal, issueSsoToken } from '../../engine/tokens/issue-sso';
import { authorizeIntegration, issueIntegrationToken } from '../../engine/tokens/integration';
import { openDeepLink, SESSION_COOKIE } from '../../engine/tokens/deep-link';
import { listBots } from '../../store/bots';
import { DeskError } from '@shared/errors';
import type { Route } from '../router';
import { sendHtml, sendJson } from '../http';
import { readCookie, readPlatformJson } from './json-body';
import { renderDeepLink } from './sso-pages';

const apiBase = (ctx: EngineContext, req: IncomingMessage): string =>
  ctx.urls.api ?? `http://${req.headers.host ?? '127.0.0.1'}`;

/**
 * Platform SSO on the loopback API (DESIGN.md "Platform SSO tokens"): token issuance, the
 * integration-scoped API it must not open, and the deep-link pages.
 */
export function platformSsoRoutes(ctx: EngineContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/authorization/sso',
      handle: async ({ req, res }) => {
        let body: unknown;
        try {
          body = await readPlatformJson(req);
        } catch (error) {
          // An unreadable body is a refusal too, and every refusal is audited.
          if (error instanceof DeskError) auditSsoRefusal(ctx, error);
          throw error;
        }
        sendJson(res, 200, await issueSsoToken(ctx, body, apiBase(ctx, req)));
      },
    },
    {
      method: 'POST',
      path: '/authorization/integration',
      handle: async ({ req, res }) => sendJson(res, 200, await issueIntegrationToken(ctx, await readPlatformJson(req))),
    },
    {
      method: 'GET',
      path: '/bots',
      handle: ({ req, res }) => {
        let account;
        try {
          account = authorizeIntegration(ctx, req.headers.authorization);
        } catch (error) {
          // RFC 6750 §3: a 401 names the scheme, and for a bad token the error.
          if (error instanceof DeskError && error.status === 401) {
            const code =
              error.code === 'missing_token'
                ? ''
                : `, error="${error.code === 'wrong_scope' ? 'insufficient_scope' : 'invalid_token'}"`;
            sendJson(
              res,
              401,
              { error: { code: error.code, message: error.message } },
              { 'WWW-Authenticate': `Bearer realm="platform"${code}` },
            );
            return;
          }
          throw error;
        }
        sendJson(res, 200, {
          Account: account.id,
          Bots: listBots(ctx.store.db, account.id).map((b) => ({ Id: b.id, Name: b.name, Owner: b.ownerEmail })),
        });
      },
    },
    {
      method: 'GET',
      // Token and section are restricted to URL-safe characters, so nothing here needs decoding.
      path: /^\/auth\/sso\/([A-Za-z0-9_-]+)(?:\/([a-z-]+))?\/?$/,
      handle: ({ req, res, params }) => {
        // HEAD is what link scanners and previews send: it never signs in, signs out or even looks the token up.
        if (req.method === 'HEAD') return sendHtml(res, 200, '<!doctype html><title>SSO Desk sign-in link</title>');
        const [token = '', section = ''] = params;
        const outcome = openDeepLink(ctx, {
          token,
          section: section || null,
          sessionCookie: readCookie(req, SESSION_COOKIE),
        });
        const { status, html } = renderDeepLink(outcome);
        const headers: Record<string, string> = {};
        if (outcome.kind === 'landed' && outcome.session.cookie) {
          const maxAge = Math.max(0, Math.floor((outcome.session.expiresAt - ctx.clock.now()) / 1000));
          headers['Set-Cookie'] =
            `${SESSION_COOKIE}=${outcome.session.cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`;
        }
        if (outcome.kind === 'logged_out')
          headers['Set-Cookie'] = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
        // Embeddable accounts' pages may be framed by the customer's site; the others may not.
        if ((outcome.kind === 'landed' || outcome.kind === 'forbidden') && outcome.view.account.embeddable) {
          headers['Content-Security-Policy'] =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors *";
        }
        sendHtml(res, status, html, headers);
      },
    },
  ];
}
