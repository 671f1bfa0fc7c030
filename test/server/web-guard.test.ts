import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, type Booted } from '../../src/main/boot';
import { testPlatform } from '../helpers';
import { samlEngineFor } from '../../src/main/engine/saml/engine';
import { ssoFlowsFor } from '../../src/main/engine/sso-flows';
import { freePort } from '../saml/helpers';

/**
 * Issue 10 point 3: the Platform API, the embedded IdP and the demo pass-through service answer only
 * their own names, refuse what another web page sends, and HEAD on a deep link has no effect.
 */
let dir: string;
let b: Booted;
let creds: Array<{ kind: string; value: string; account: string; bot: string | null }>;
let password: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sso-desk-web-'));
  b = await boot({ dataDir: dir, version: 'test', platform: (d) => testPlatform(d), log: () => {} });
  creds = ((await b.dispatch('workspace.demoCredentials', undefined)) as { ok: true; value: typeof creds }).value;
  password = creds.find((c) => c.kind === 'password')!.value;
}, 90_000);
afterAll(async () => {
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so that Host, Origin and the Sec-Fetch-* headers can be anything. */
function call(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: url.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: url.host, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = () => b.urls.api!;
const idp = () => b.urls.idp!;
const demo = () => new URL(b.urls.passthrough!).origin;
const JSON_TYPE = { 'content-type': 'application/json' };
/** What Chromium adds to a `fetch()` or form POST made by a page on another site. */
const CROSS_SITE = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' };
const count = (sql: string, ...args: unknown[]) => (b.ctx.store.db.prepare(sql).get(...args) as { n: number }).n;

function ssoBody(email = 'ann@acme.test') {
  const of = (kind: string, account: string, bot: string | null = null) =>
    creds.find((c) => c.kind === kind && c.account === account && (bot === null || c.bot === bot))!.value;
  return JSON.stringify({
    AccountAPIKey: of('AccountAPIKey', 'acme'),
    BotAPIKey: of('BotAPIKey', 'acme', 'helpdesk'),
    BotAPISecret: of('BotAPISecret', 'acme', 'helpdesk'),
    Email: email,
  });
}

async function issueLink(): Promise<string> {
  const r = await call(api(), '/authorization/sso', { method: 'POST', headers: JSON_TYPE, body: ssoBody() });
  expect(r.status).toBe(200);
  return new URL((JSON.parse(r.body) as { Home: string }).Home).pathname;
}

describe('a foreign Host (DNS rebinding) is refused by every local service', () => {
  it('Platform API: POST /authorization/sso with Host: evil.example gets 421 and no token', async () => {
    const before = count("SELECT count(*) AS n FROM sso_tokens WHERE scope = 'sso'");
    const r = await call(api(), '/authorization/sso', {
      method: 'POST',
      headers: { ...JSON_TYPE, host: 'evil.example' },
      body: ssoBody(),
    });
    expect(r.status).toBe(421);
    expect(JSON.parse(r.body).error.code).toBe('bad_host');
    expect(r.body).not.toContain('Token');
    expect(count("SELECT count(*) AS n FROM sso_tokens WHERE scope = 'sso'")).toBe(before);
    // The same request under the service's own names is answered.
    expect(
      (await call(api(), '/authorization/sso', { method: 'POST', headers: JSON_TYPE, body: ssoBody() })).status,
    ).toBe(200);
    const port = new URL(api()).port;
    const local = await call(api(), '/authorization/sso', {
      method: 'POST',
      headers: { ...JSON_TYPE, host: `localhost:${port}` },
      body: ssoBody(),
    });
    expect(local.status).toBe(200);
    // The right name on the wrong port is another service's name.
    expect((await call(api(), '/health', { headers: { host: '127.0.0.1:1' } })).status).toBe(421);
  });

  it('embedded IdP: discovery under a foreign Host is 421, under 127.0.0.1 and localhost 200', async () => {
    const path = '/.well-known/openid-configuration';
    const evil = await call(idp(), path, { headers: { host: `evil.example:${new URL(idp()).port}` } });
    expect(evil.status).toBe(421);
    expect(evil.body).not.toContain('token_endpoint');
    expect((await call(idp(), path)).status).toBe(200);
    expect((await call(idp(), path, { headers: { host: `localhost:${new URL(idp()).port}` } })).status).toBe(200);
  });

  it('demo pass-through service: a right password under a foreign Host is 421, not 200', async () => {
    const body = JSON.stringify({ email: 'erin@globex.test', password });
    const evil = await call(demo(), '/login', {
      method: 'POST',
      headers: { ...JSON_TYPE, host: 'evil.example' },
      body,
    });
    expect(evil.status).toBe(421);
    expect((await call(demo(), '/login', { method: 'POST', headers: JSON_TYPE, body })).status).toBe(200);
  });
});

describe('the sign-in listeners and the demo SAML IdP answer only their own names', () => {
  const evilHost = (base: string) => ({ host: `evil.example:${new URL(base).port}` });

  it('demo SAML IdP: metadata under a foreign Host is 421 and shows no certificate; under its names 200', async () => {
    const metadata = samlEngineFor(b.ctx).get('acme').idp.entityId;
    const path = new URL(metadata).pathname;
    const evil = await call(metadata, path, { headers: evilHost(metadata) });
    expect(evil.status).toBe(421);
    expect(evil.body).not.toContain('X509Certificate');
    expect((await call(metadata, path)).status).toBe(200);
    expect((await call(metadata, path, { headers: { host: `localhost:${new URL(metadata).port}` } })).status).toBe(200);
  });

  it('OIDC loopback listener: a callback under a foreign Host is 421 and the sign-in still waits for its own', async () => {
    const start = await ssoFlowsFor(b.ctx).start('ann@acme.test', 'acme');
    const redirect = new URL(new URL(start.authorizationUrl).searchParams.get('redirect_uri')!);
    const evil = await call(redirect.href, `${redirect.pathname}?code=forged&state=forged`, {
      headers: evilHost(redirect.href),
    });
    expect(evil.status).toBe(421);
    expect(evil.body).toContain('This address answers only as 127.0.0.1:');
    expect(ssoFlowsFor(b.ctx).status(start.flowId).state).toBe('waiting');
    // Under its own name the listener takes the callback (here a wrong state, refused in words).
    const own = await call(redirect.href, `${redirect.pathname}?code=forged&state=forged`);
    expect(own.status).not.toBe(421);
  });

  it('SAML ACS: a post under a foreign Host is 421 and the sign-in still waits', async () => {
    const acsPort = await freePort();
    await samlEngineFor(b.ctx).save({ account: 'acme', enabled: false, preset: 'generic', actor: 'test', acsPort });
    const start = await ssoFlowsFor(b.ctx).start('ann@acme.test', 'acme', { test: true, protocol: 'saml' });
    const acs = `http://127.0.0.1:${acsPort}/saml/acs`;
    const evil = await call(acs, '/saml/acs', {
      method: 'POST',
      headers: { ...evilHost(acs), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'SAMLResponse=PHg%2BPC94Pg%3D%3D',
    });
    expect(evil.status).toBe(421);
    expect(evil.body).toContain('This address answers only as 127.0.0.1:');
    expect(ssoFlowsFor(b.ctx).status(start.flowId).state).toBe('waiting');
  });
});

describe('another web page cannot use the local services', () => {
  it('a cross-site text/plain POST to /auth/login is refused before it is evaluated', async () => {
    const audited = count("SELECT count(*) AS n FROM audit_events WHERE email = 'erin@globex.test'");
    const body = JSON.stringify({ email: 'erin@globex.test', password, account: 'globex' });
    const r = await call(api(), '/auth/login', {
      method: 'POST',
      headers: { ...CROSS_SITE, 'content-type': 'text/plain' },
      body,
    });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('cross_site');
    expect(r.body).not.toContain('session');
    // Not evaluated: no audit event, so no login attempt was counted either.
    expect(count("SELECT count(*) AS n FROM audit_events WHERE email = 'erin@globex.test'")).toBe(audited);
    // The same body as JSON from no page at all (a server, curl) signs in.
    expect((await call(api(), '/auth/login', { method: 'POST', headers: JSON_TYPE, body })).status).toBe(200);
  });

  it('a page on another loopback port (same-site) or with Origin: null is refused too', async () => {
    const body = JSON.stringify({ email: 'erin@globex.test', password, account: 'globex' });
    const sameSite = { origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-site', ...JSON_TYPE };
    expect((await call(api(), '/auth/login', { method: 'POST', headers: sameSite, body })).status).toBe(403);
    expect(
      (await call(api(), '/auth/login', { method: 'POST', headers: { origin: 'null', ...JSON_TYPE }, body })).status,
    ).toBe(403);
    // Without Fetch Metadata (an older browser), a foreign Origin decides.
    expect(
      (
        await call(api(), '/auth/login', {
          method: 'POST',
          headers: { origin: 'http://evil.example', ...JSON_TYPE },
          body,
        })
      ).status,
    ).toBe(403);
    const sso = await call(api(), '/authorization/sso', {
      method: 'POST',
      headers: { ...CROSS_SITE, ...JSON_TYPE },
      body: ssoBody(),
    });
    expect(sso.status).toBe(403);
  });

  it('JSON endpoints require application/json: text/plain or a form body is 415, even without Origin', async () => {
    const login = JSON.stringify({ email: 'erin@globex.test', password, account: 'globex' });
    const plain = await call(api(), '/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: login,
    });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body).error.code).toBe('unsupported_media_type');
    expect((await call(api(), '/auth/login', { method: 'POST', body: login })).status).toBe(415);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await call(api(), '/authorization/sso', { method: 'POST', headers: form, body: 'a=b' })).status).toBe(415);
    expect(
      (await call(api(), '/auth/password/forgot', { method: 'POST', headers: form, body: 'email=x' })).status,
    ).toBe(415);
    const plainIntegration = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' };
    expect((await call(api(), '/authorization/integration', plainIntegration)).status).toBe(415);
    // A JSON type with parameters or a +json suffix is JSON.
    const charset = await call(api(), '/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: login,
    });
    expect(charset.status).toBe(200);
  });

  it('the demo pass-through service refuses a cross-site form that carries a right password', async () => {
    const q = `/login?email=erin%40globex.test&password=${encodeURIComponent(password)}`;
    const r = await call(demo(), q, {
      method: 'POST',
      headers: { ...CROSS_SITE, 'content-type': 'text/plain' },
      body: '',
    });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('erin@globex.test');
    expect(
      (await call(demo(), q, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' })).status,
    ).toBe(200);
  });

  it('the embedded IdP refuses a cross-site POST (login form, token endpoint) but follows a link', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const loginBody = 'email=ann%40acme.test&password=x';
    const login = await call(idp(), '/interaction/abc/login', {
      method: 'POST',
      headers: { ...CROSS_SITE, ...form },
      body: loginBody,
    });
    expect(login.status).toBe(403);
    const token = await call(idp(), '/token', {
      method: 'POST',
      headers: { ...CROSS_SITE, ...form },
      body: 'grant_type=authorization_code',
    });
    expect(token.status).toBe(403);
    // The IdP's own login form: same-origin, though Chromium sends Origin: null under Referrer-Policy: no-referrer.
    const own = await call(idp(), '/interaction/abc/login', {
      method: 'POST',
      headers: { origin: 'null', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate', ...form },
      body: 'email=ann%40acme.test&password=x',
    });
    expect(own.status).toBe(400);
    expect(own.body).toContain('Sign-in could not continue');
    // The token endpoint called by SSO Desk itself (no page) is oidc-provider's own 400.
    expect(
      (await call(idp(), '/token', { method: 'POST', headers: form, body: 'grant_type=authorization_code' })).status,
    ).toBe(400);
    // A link from another site to the authorization endpoint reaches oidc-provider (which explains the bad request).
    const nav = await call(idp(), '/auth?client_id=nope', {
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
    });
    expect(nav.status).not.toBe(403);
    expect(nav.status).not.toBe(421);
    // A script on another site reading the IdP is not a navigation.
    const cors = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' };
    const read = await call(idp(), '/jwks', { headers: cors });
    expect(read.status).toBe(403);
  });
});

describe('deep links keep working from a link; HEAD has no effect', () => {
  it('a cross-site top-level navigation opens the workspace; a cross-site <img> does not', async () => {
    const home = await issueLink();
    const asImage = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };
    const img = await call(api(), `${home}/logout`, { headers: asImage });
    expect(img.status).toBe(403);
    const nav = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    const landed = await call(api(), home, { headers: nav });
    expect(landed.status).toBe(200);
    expect(landed.body).toContain('Helpdesk workspace');
  });

  it('HEAD on /logout does not revoke the token, HEAD on Home opens no session', async () => {
    const home = await issueLink();
    const sessions = () => count('SELECT count(*) AS n FROM sso_sessions');
    const events = () =>
      count("SELECT count(*) AS n FROM audit_events WHERE kind IN ('sso.token.redeem', 'sso.logout')");
    const [s0, e0] = [sessions(), events()];
    const headLogout = await call(api(), `${home}/logout`, { method: 'HEAD' });
    expect(headLogout.status).toBe(200);
    const headHome = await call(api(), home, {
      method: 'HEAD',
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' },
    });
    expect(headHome.status).toBe(200);
    expect(headHome.headers['set-cookie']).toBeUndefined();
    expect([sessions(), events()]).toEqual([s0, e0]);
    // The link still signs in, and GET /logout still signs out.
    const get = await call(api(), home);
    expect(get.status).toBe(200);
    expect(get.headers['set-cookie']?.[0]).toMatch(/^sso_desk_session=/);
    expect(sessions()).toBe(s0 + 1);
    expect((await call(api(), `${home}/logout`)).body).toContain('Signed out');
    expect((await call(api(), home)).status).toBe(401);
  });
});
