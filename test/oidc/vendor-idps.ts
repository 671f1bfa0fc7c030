import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type Grant, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * Test IdPs that behave like the vendors admins run, each built on oidc-provider and started on
 * 127.0.0.1:0. What each one imitates is documented vendor behaviour, not a guess:
 *
 * - Okta-like: the redirect URI must match a registered one exactly, port included (Okta: "The
 *   'redirect_uri' parameter must be a Login redirect URI in the client app settings" on an error
 *   page, no redirect back); the app's client authentication is client_secret_basic only, and the
 *   Basic credentials are taken as sent (no percent-decoding, as many servers do).
 * - Entra-like: the issuer carries the tenant GUID; discovery under the tenant's domain reports that
 *   GUID issuer; `organizations` publishes a `{tenantid}` template and keys that carry an `issuer`;
 *   ID tokens have `tid`, `preferred_username`, `upn` and no `email`; errors are AADSTS codes with
 *   trace and correlation IDs.
 * - Keycloak-like: a loopback redirect registered without a port accepts any port; a refused client
 *   is `unauthorized_client` / "Invalid client or Invalid client credentials"; a bad redirect is
 *   "Invalid parameter: redirect_uri".
 * - Strict (an open-source IdP that follows the RFCs to the letter and checks late, issue 26):
 *   a refused client is exactly RFC 6749 §5.2 — 401, `WWW-Authenticate: Basic`, body
 *   `{"error":"invalid_client"}`, no description; Basic credentials are compared as sent (not
 *   form-decoded as §2.3.1 requires, so a secret with `~` fails under Basic and works under post);
 *   `prompt=none` is ignored and anyone not signed in gets the login form, an unknown client or
 *   redirect URI included, refused only after the password ("This application is not known",
 *   "Unauthorized URL"); claims are released by scope and the token response carries no `scope`.
 *   With `discovery502`, it sits behind a proxy whose upstream is down for discovery (502 Bad Gateway).
 */
export type VendorKind = 'okta' | 'entra' | 'keycloak' | 'strict';

export interface VendorUser {
  sub: string;
  claims: Record<string, unknown>;
}

export interface VendorIdpOptions {
  clients: Array<Record<string, unknown>>;
  users: VendorUser[];
  /** Scopes the user consents to (default: all asked for). `openid profile` = the user declined email. */
  grantScopes?: string;
  /** Entra-like: the `tid` put in ID tokens (default the tenant GUID). */
  tid?: string;
  /** Entra-like: the `issuer` the multi-tenant JWKS gives its keys (default the `{tenantid}` template). */
  keyIssuer?: string;
  /** Entra-like: login hints refused after sign-in with AADSTS50105 (not assigned to the app). */
  unassigned?: string[];
  /** Strict: the proxy in front answers 502 Bad Gateway for the discovery document. */
  discovery502?: boolean;
}

export interface VendorIdp {
  kind: VendorKind;
  origin: string;
  /** The issuer the IdP signs with. */
  issuer: string;
  /** Entra-like: the IdP URL typed with the tenant's domain, and the multi-tenant one. */
  domainIssuer?: string;
  multiTenantIssuer?: string;
  tenantId?: string;
  /** Every token request as received: headers and body. */
  tokenRequests: Array<{ authorization: string | undefined; body: string }>;
  /** Every authorization request URL that reached the IdP. */
  authorizeRequests: string[];
  close(): Promise<void>;
}

export const ENTRA_TENANT_ID = 'b5f1b7a2-0c1d-4e5f-9a8b-1c2d3e4f5a6b';
export const ENTRA_DOMAIN = 'contoso.example';

const GUID = () => crypto.randomUUID();

export async function startVendorIdp(kind: VendorKind, opts: VendorIdpOptions): Promise<VendorIdp> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const mount =
    kind === 'okta'
      ? '/oauth2/default'
      : kind === 'entra'
        ? `/${ENTRA_TENANT_ID}/v2.0`
        : kind === 'strict'
          ? '/oidc'
          : '/realms/acme';
  const issuer = `${origin}${mount}`;
  const template = `${origin}/{tenantid}/v2.0`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const users = new Map(opts.users.map((u) => [u.sub, u]));

  const claimsByScope: Record<string, string[]> =
    kind === 'entra'
      ? { openid: ['sub', 'tid', 'preferred_username', 'upn', 'name'], email: ['email'], profile: ['name'] }
      : { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] };

  const config: Record<string, unknown> = {
    clients: opts.clients,
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: `${kind}-1`, alg: 'RS256', use: 'sig' }] },
    pkce: { required: () => true },
    claims: claimsByScope,
    conformIdTokenClaims: false,
    clientAuthMethods:
      kind === 'okta'
        ? ['client_secret_basic', 'none']
        : ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    features: { devInteractions: { enabled: true } },
    // No consent page: the grant is what the user "consented" to (all asked for, or `grantScopes`).
    loadExistingGrant: async (ctx: KoaContextWithOIDC & { oidc: { params?: Record<string, unknown> } }) => {
      const session = ctx.oidc.session;
      if (!session?.accountId) return undefined;
      const clientId = ctx.oidc.client!.clientId;
      const existing = session.grantIdFor(clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: session.accountId }) as Grant & {
        rejectOIDCScope(s: string): void;
      };
      const asked = String(ctx.oidc.params?.scope ?? 'openid').split(' ');
      const granted = (opts.grantScopes ?? asked.join(' ')).split(' ');
      grant.addOIDCScope(granted.join(' '));
      // Declined scopes are "encountered": oidc-provider does not ask for them again.
      const declined = asked.filter((x) => !granted.includes(x));
      if (declined.length) grant.rejectOIDCScope(declined.join(' '));
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx: unknown, sub: string) => {
      const u = users.get(sub);
      if (!u) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, ...(kind === 'entra' ? { tid: opts.tid ?? ENTRA_TENANT_ID } : {}), ...u.claims }),
      };
    },
    renderError: (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = errorPage(kind, out);
    },
  };
  const provider = new Provider(issuer, config as Configuration);
  if (kind === 'okta') {
    // Okta matches the redirect URI exactly, port included (no RFC 8252 §7.3 loopback port leniency).
    const proto = (
      provider as unknown as {
        Client: { prototype: { redirectUriAllowed(v: string): boolean; redirectUris: string[] } };
      }
    ).Client.prototype;
    proto.redirectUriAllowed = function (this: { redirectUris: string[] }, value: string) {
      return this.redirectUris.includes(value);
    };
  }
  const callback = provider.callback();
  const idp: VendorIdp = {
    kind,
    origin,
    issuer,
    tokenRequests: [],
    authorizeRequests: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  if (kind === 'entra') {
    idp.domainIssuer = `${origin}/${ENTRA_DOMAIN}/v2.0`;
    idp.multiTenantIssuer = `${origin}/organizations/v2.0`;
    idp.tenantId = ENTRA_TENANT_ID;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      // Entra-like: discovery under the tenant's domain and under `organizations`.
      if (kind === 'entra' && url.pathname === `/${ENTRA_DOMAIN}/v2.0/.well-known/openid-configuration`) {
        return json(res, 200, await ownMetadata());
      }
      if (kind === 'entra' && url.pathname === '/organizations/v2.0/.well-known/openid-configuration') {
        return json(res, 200, {
          ...(await ownMetadata()),
          issuer: template,
          jwks_uri: `${origin}/organizations/discovery/v2.0/keys`,
        });
      }
      if (kind === 'entra' && url.pathname === '/organizations/discovery/v2.0/keys') {
        const keys = (await (await fetch(String((await ownMetadata()).jwks_uri))).json()) as {
          keys: Array<Record<string, unknown>>;
        };
        return json(res, 200, { keys: keys.keys.map((k) => ({ ...k, issuer: opts.keyIssuer ?? template })) });
      }
      if (kind === 'strict' && opts.discovery502 && url.pathname.endsWith('/.well-known/openid-configuration')) {
        return html(
          res,
          502,
          '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
        );
      }
      // oidc-provider serves discovery under the issuer's path and its endpoints at the root.
      const inner = url.pathname.startsWith(mount) ? url.pathname.slice(mount.length) || '/' : url.pathname;
      if (kind === 'strict' && inner === '/late-login') {
        // The login form of a request the IdP will refuse: the refusal comes only after the password.
        req.resume();
        const why = url.searchParams.get('why') ?? 'This application is not known';
        if (req.method !== 'POST') return html(res, 200, strictLoginForm(url.href));
        return html(res, 400, strictErrorPage(why));
      }
      if (inner === '/auth') {
        idp.authorizeRequests.push(url.href);
        if (kind === 'strict') {
          const registered = opts.clients.find((c) => c.client_id === url.searchParams.get('client_id'));
          const redirect = url.searchParams.get('redirect_uri') ?? '';
          const why = !registered
            ? 'This application is not known'
            : !strictRedirectAllowed(registered.redirect_uris as string[], redirect)
              ? 'Unauthorized URL'
              : null;
          if (why) {
            const late = new URL(`${mount}/late-login`, origin);
            late.searchParams.set('why', why);
            return html(res, 200, strictLoginForm(late.href));
          }
          // prompt=none is ignored: whoever is not signed in gets the login form.
          url.searchParams.delete('prompt');
        }
        const hint = url.searchParams.get('login_hint');
        if (kind === 'entra' && !opts.clients.some((c) => c.client_id === url.searchParams.get('client_id'))) {
          return html(
            res,
            400,
            errorPage(kind, {
              error: 'unauthorized_client',
              error_description: `AADSTS700016: Application with identifier '${url.searchParams.get('client_id')}' was not found in the directory 'Contoso'. Trace ID: ${GUID()} Correlation ID: ${GUID()}`,
            }),
          );
        }
        if (kind === 'entra' && hint && opts.unassigned?.includes(hint)) {
          const back = new URL(url.searchParams.get('redirect_uri')!);
          back.searchParams.set('error', 'access_denied');
          back.searchParams.set(
            'error_description',
            `AADSTS50105: Your administrator has configured the application to block users unless they are specifically granted ('assigned') access to the application. Trace ID: ${GUID()} Correlation ID: ${GUID()} Timestamp: 2026-11-25 10:00:00Z`,
          );
          back.searchParams.set('state', url.searchParams.get('state') ?? '');
          res.writeHead(302, { location: back.href });
          return res.end();
        }
      }
      if (inner === '/token' && req.method === 'POST') {
        const authorization = req.headers.authorization;
        idp.tokenRequests.push({ authorization, body: '' });
        const record = idp.tokenRequests.at(-1)!;
        req.on('data', (c: Buffer) => (record.body += c.toString()));
        const basic = authorization?.startsWith('Basic ')
          ? Buffer.from(authorization.slice(6), 'base64').toString('utf8')
          : null;
        if (basic !== null) {
          const id = basic.slice(0, basic.indexOf(':'));
          const secret = basic.slice(basic.indexOf(':') + 1);
          const registered = opts.clients.find((c) => c.client_id === decodeForm(id));
          if (kind === 'okta' && (registered === undefined || id !== registered.client_id)) {
            // Taken as sent: `desk%2Dokta` is not `desk-okta`.
            return json(res, 401, {
              error: 'invalid_client',
              error_description: 'The client secret supplied for a confidential client is invalid.',
            });
          }
          if (kind === 'entra' && registered && decodeForm(secret) !== registered.client_secret) {
            return json(res, 401, {
              error: 'invalid_client',
              error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${registered.client_id}'. Trace ID: 0f6b0a4e-1111-4c2d-9e8f-aaaaaaaaaaaa Correlation ID: 7c9d2b1a-2222-4e3f-8a9b-bbbbbbbbbbbb Timestamp: 2026-11-25 10:00:00Z`,
              error_codes: [7000215],
              trace_id: '0f6b0a4e-1111-4c2d-9e8f-aaaaaaaaaaaa',
              correlation_id: '7c9d2b1a-2222-4e3f-8a9b-bbbbbbbbbbbb',
            });
          }
        }
        if (kind === 'strict' && basic !== null) {
          // Compared as sent: no form-decoding of the Basic credentials (RFC 6749 §2.3.1 asks for it).
          const id = basic.slice(0, basic.indexOf(':'));
          const secret = basic.slice(basic.indexOf(':') + 1);
          const registered = opts.clients.find((c) => c.client_id === id);
          if (!registered || registered.client_secret !== secret) return strictInvalidClient(res);
        }
        if (kind === 'keycloak') keycloakTokenErrors(res);
        if (kind === 'strict') strictTokenAnswers(res);
      }
      req.url = inner + url.search;
      callback(req, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: 'server_error', error_description: String(error) });
    });
  });

  async function ownMetadata(): Promise<Record<string, unknown>> {
    return (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  }
  return idp;
}

/** RFC 6749 §5.2 to the letter: 401, a Basic challenge, and only the error code in the body. */
function strictInvalidClient(res: ServerResponse): void {
  const text = JSON.stringify({ error: 'invalid_client' });
  res.writeHead(401, {
    'content-type': 'application/json',
    'www-authenticate': 'Basic realm="strict-idp"',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The strict IdP's token answers: a refused client as `strictInvalidClient`, and no `scope` in a success. */
function strictTokenAnswers(res: ServerResponse): void {
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  const chunks: Buffer[] = [];
  res.write = ((chunk: unknown) => {
    chunks.push(Buffer.from(chunk as Buffer));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
    let body = Buffer.concat(chunks).toString('utf8');
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      if (parsed.error === 'invalid_client') {
        body = JSON.stringify({ error: 'invalid_client' });
        res.statusCode = 401;
        res.setHeader('www-authenticate', 'Basic realm="strict-idp"');
      } else if (parsed.access_token) {
        delete parsed.scope;
        body = JSON.stringify(parsed);
      }
    } catch {
      // Not JSON: passed on as it is.
    }
    res.setHeader('content-length', Buffer.byteLength(body));
    return end(body, ...rest.filter((r) => typeof r === 'function'));
  }) as typeof res.end;
}

/** Loopback redirects match with any port (RFC 8252 §7.3); others exactly. */
function strictRedirectAllowed(registered: string[], value: string): boolean {
  if (registered.includes(value)) return true;
  try {
    const u = new URL(value);
    if (u.hostname !== '127.0.0.1') return false;
    u.port = '';
    return registered.includes(u.href);
  } catch {
    return false;
  }
}

function strictLoginForm(action: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authentication portal</title></head><body><main><form method="post" action="${esc(action)}"><label>Login <input name="login"></label><label>Password <input type="password" name="password"></label><button>Connect</button></form></main></body></html>`;
}

function strictErrorPage(why: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authentication portal</title></head><body><main><p role="alert" class="alert">${why}</p></main></body></html>`;
}

/** Keycloak answers a refused client as unauthorized_client, "Invalid client or Invalid client credentials". */
function keycloakTokenErrors(res: ServerResponse): void {
  const end = res.end.bind(res) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
  const chunks: Buffer[] = [];
  res.write = ((chunk: unknown) => {
    chunks.push(Buffer.from(chunk as Buffer));
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
    let body = Buffer.concat(chunks).toString('utf8');
    if (body.includes('"invalid_client"')) {
      body = JSON.stringify({
        error: 'unauthorized_client',
        error_description: 'Invalid client or Invalid client credentials',
      });
      res.removeHeader('www-authenticate');
      res.setHeader('content-length', Buffer.byteLength(body));
    }
    return end(body, ...rest.filter((r) => typeof r === 'function'));
  }) as typeof res.end;
}

const decodeForm = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function html(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function errorPage(kind: VendorKind, out: { error: string; error_description?: string }): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  let text = `${out.error}: ${out.error_description ?? ''}`;
  if (/redirect_uri/.test(out.error_description ?? '')) {
    if (kind === 'okta')
      text = "400 Bad Request: The 'redirect_uri' parameter must be a Login redirect URI in the client app settings";
    if (kind === 'keycloak') text = 'We are sorry... Invalid parameter: redirect_uri';
    if (kind === 'entra')
      text = `AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.`;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><main><h1>Error</h1><p class="idp-error">${esc(text)}</p></main></body></html>`;
}
