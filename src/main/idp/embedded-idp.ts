import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Configuration, InteractionDetails, KoaContextWithOIDC } from 'oidc-provider';
import type { Db } from '../store/db';
import { findUserByEmail, getUser } from '../store/users';
import { verifyNothing, verifyPassword } from '../engine/crypto/hash';
import { attemptKeys, gatedCheck, type PasswordGate } from '../engine/passthrough/throttle';
import { normalizeEmail } from '@shared/domain';
import { readBody, sendHtml } from '../server/http';
import { closeServer, listenLoopback } from '../server/listen';
import { guardService } from '../server/guard-service';
import { loadOrCreateIdpState, saveIdpState } from './keys';
import { loginPage, plainPage } from './login-page';

/** The client every demo account uses: public (no secret), PKCE, loopback redirects on any port. */
export const DEMO_CLIENT_ID = 'sso-desk-demo';

export interface EmbeddedIdp {
  server: Server;
  issuer: string;
  provider: Provider;
  /** The issuer of the previous start when the port had to change (configs pointing at it need repointing). */
  previousIssuer: string | null;
  close(): Promise<void>;
}

const FIRST_PARTY_SCOPES = 'openid email profile';

/**
 * Starts the embedded OpenID Provider (oidc-provider) on 127.0.0.1. Its users are SSO Desk's users,
 * read from the store: a password is checked with `verifyPassword` against `users.password_hash`.
 * Signing keys are generated once per data dir and kept; the port of the last start is reused so
 * that the issuer URL the demo accounts point at stays valid.
 */
export async function startEmbeddedIdp(opts: {
  db: Db;
  dataDir: string;
  log: (line: string) => void;
  port?: number | undefined;
  /** The login throttle shared with POST /auth/login (read on each attempt: the service may be replaced). */
  gate: () => PasswordGate;
}): Promise<EmbeddedIdp> {
  const state = await loadOrCreateIdpState(opts.dataDir);
  const server = createServer();
  let url: string;
  const wanted = opts.port ?? state.port ?? 0;
  try {
    url = await listenLoopback(server, wanted, 'embedded IdP');
  } catch (error) {
    if (wanted === 0 || opts.port !== undefined) throw error;
    url = await listenLoopback(server, 0, 'embedded IdP');
  }
  const port = Number(new URL(url).port);
  const previousIssuer = state.port !== null && state.port !== port ? `http://127.0.0.1:${state.port}` : null;
  if (state.port !== port) saveIdpState(opts.dataDir, { ...state, port });

  const provider = await quietly(opts.log, async () => {
    const { default: OidcProvider } = await import('oidc-provider');
    return new OidcProvider(url, idpConfiguration(opts.db, state.keys, state.cookieKeys));
  });
  provider.on('server_error', (_ctx: unknown, err: Error) =>
    opts.log(`[idp] server error: ${err.stack ?? err.message}`),
  );
  const oidcCallback = provider.callback();

  // Every GET of an IdP may be a navigation from the app (the authorization request); anything else
  // (the login form's POST, the token request) must come from its own pages or from no page at all.
  const guarded = guardService(
    (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', url).pathname;
      if (path.startsWith('/interaction/')) {
        handleInteraction(provider, opts.db, opts.gate(), req, res, path).catch((error: unknown) => {
          opts.log(`[idp] interaction failed: ${(error as Error)?.stack ?? String(error)}`);
          if (!res.headersSent)
            sendHtml(
              res,
              400,
              plainPage(
                'Sign-in could not continue',
                'This sign-in request has expired or is unknown. Start again from SSO Desk.',
              ),
            );
        });
        return;
      }
      oidcCallback(req, res);
    },
    { navigable: () => true },
  );
  server.on('request', guarded);

  return { server, issuer: url, provider, previousIssuer, close: () => closeServer(server) };
}

/**
 * oidc-provider prints warnings with console.warn when it is loaded and configured. Two are known and
 * accepted here: Node 20 is "unsupported" (it works; the app targets Node >= 20.19), and the demo IdP
 * keeps its sessions in memory on purpose (a restart signs demo users out of the IdP, nothing more).
 * Those are dropped so that the host's stderr stays its own log; any other warning goes to the log.
 */
async function quietly<T>(log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (/oidc-provider WARNING: (Unsupported runtime|a quick start development-only in-memory adapter)/.test(line))
      return;
    log(`[idp] ${line}`);
  };
  try {
    return await fn();
  } finally {
    console.warn = original;
  }
}

function idpConfiguration(db: Db, keys: Array<Record<string, unknown>>, cookieKeys: string[]): Configuration {
  return {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        client_name: 'SSO Desk',
        // A native app: oidc-provider then accepts any port on a registered loopback redirect
        // (RFC 8252 §7.3), which is what the one-shot listener on 127.0.0.1:0 needs.
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
        post_logout_redirect_uris: ['http://127.0.0.1/logged-out', 'http://localhost/logged-out'],
      },
    ],
    jwks: { keys },
    cookies: { keys: cookieKeys },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Put the scope's claims in the ID token itself: SSO Desk reads email and email_verified from it.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          ctx.body = plainPage('Signed out', 'You are signed out of the SSO Desk demo IdP. You can close this tab.');
        },
      },
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // SSO Desk is this IdP's only, first-party client: no consent screen, the grant is implied.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (!ctx.oidc.session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(FIRST_PARTY_SCOPES);
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, sub) => {
      const user = /^\d+$/.test(sub) ? getUser(db, Number(sub)) : undefined;
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: user.email, email_verified: user.emailVerified, name: user.name }),
      };
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = plainPage('The IdP could not complete this request', `${out.error}: ${out.error_description ?? ''}`);
    },
  };
}

function logoutPage(form: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head>
<body><main><h1>Sign out of the SSO Desk demo IdP?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
}

/**
 * The login page's CSP. `form-action` also governs the redirects that follow the form's POST
 * (to /auth, then to the app's loopback listener on any port), so loopback hosts are allowed.
 */
const LOGIN_CSP = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:* " +
    "http://localhost:*; frame-ancestors 'none'; base-uri 'none'",
};

/** GET shows the login form; POST checks the password against the store and finishes the interaction. */
async function handleInteraction(
  provider: Provider,
  db: Db,
  gate: PasswordGate,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(path);
  if (!m) return sendHtml(res, 404, plainPage('Not found', 'There is no such page on this IdP.'));
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== m[1])
    return sendHtml(
      res,
      400,
      plainPage('Sign-in could not continue', 'This sign-in request does not match this browser.'),
    );
  const client = await provider.Client.find(String(details.params.client_id));
  const clientName = client?.clientName ?? String(details.params.client_id);

  if (details.prompt.name === 'consent') {
    // SSO Desk is this IdP's own first-party client: consent is implied, also for a native client
    // (oidc-provider asks native clients for consent every time by default).
    return finishConsent(provider, req, res, details);
  }
  if (!m[2]) {
    if (req.method !== 'GET') return sendHtml(res, 405, plainPage('Not allowed', 'Use the form.'), { Allow: 'GET' });
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    return sendHtml(res, 200, loginPage({ uid: details.uid, clientName, email: hint }), LOGIN_CSP);
  }
  if (req.method !== 'POST') return sendHtml(res, 405, plainPage('Not allowed', 'Use the form.'), { Allow: 'POST' });
  const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString('utf8'));
  const email = (form.get('email') ?? '').trim();
  const password = form.get('password') ?? '';
  const user = email ? findUserByEmail(db, email) : undefined;
  // The same throttle as POST /auth/login, keyed by the normalized email: a lockout there holds here.
  const checked = await gatedCheck(
    gate,
    attemptKeys({ email: normalizeEmail(email), peer: req.socket.remoteAddress ?? null }),
    () =>
      // One message and about the same time for an unknown email and a wrong password.
      user?.passwordHash ? verifyPassword(password, user.passwordHash) : verifyNothing(password),
    // Locked in any account on POST /auth/login (an email + account key) is locked here too.
    normalizeEmail(email),
  );
  if (checked.kind === 'refused') {
    const error = `Too many failed sign-ins for this email. Try again in ${checked.retryAfterSeconds} seconds.`;
    return sendHtml(res, 429, loginPage({ uid: details.uid, clientName, email, error }), {
      ...LOGIN_CSP,
      'Retry-After': String(checked.retryAfterSeconds),
    });
  }
  if (!user || !checked.ok) {
    return sendHtml(
      res,
      200,
      loginPage({ uid: details.uid, clientName, email, error: 'Unknown email or wrong password.' }),
      LOGIN_CSP,
    );
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: String(user.id) } },
    { mergeWithLastSubmission: false },
  );
}

async function finishConsent(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  details: InteractionDetails,
): Promise<void> {
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id);
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ clientId, accountId: accountId ?? '' });
  const prompt = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  grant.addOIDCScope(prompt.missingOIDCScope?.join(' ') || FIRST_PARTY_SCOPES);
  if (prompt.missingOIDCClaims?.length) grant.addOIDCClaims(prompt.missingOIDCClaims);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}
