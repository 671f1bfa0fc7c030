import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testConnection } from '../../src/main/engine/oidc/test-connection';
import { startSpyIdp, type SpyIdp } from '../idps/spy-idp';
import { hasGlewlwyd, startGlewlwyd, type Glewlwyd } from '../idps/glewlwyd';
import { freePort } from '../idps/free-port';

const now = () => Date.now();
const client = (over: Partial<NonNullable<Parameters<typeof testConnection>[1]['client']>> = {}) => ({
  clientId: 'sso-desk',
  redirectUri: 'http://127.0.0.1:8765/callback',
  anyPort: false,
  scopes: ['openid', 'email', 'profile'],
  secretSet: true,
  ...over,
});

describe('Test connection checks the client at the authorization endpoint (spy IdP)', () => {
  let idp: SpyIdp;
  beforeEach(async () => {
    idp = await startSpyIdp();
  });
  afterEach(async () => {
    await idp.close();
  });

  it('accepts a redirect back with login_required, sends prompt=none and PKCE, never a secret or a cookie', async () => {
    const r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    expect(r.verdict).toBe('ok');
    expect(r.findings.find((f) => f.check === 'client')).toMatchObject({
      level: 'ok',
      message: expect.stringMatching(
        /accepts client ID "sso-desk" with redirect URI http:\/\/127.0.0.1:8765\/callback.*login_required/,
      ),
    });
    const auth = idp.seen.find((s) => s.url.startsWith('/auth'))!;
    const q = new URL(auth.url, idp.url).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({
      response_type: 'code',
      client_id: 'sso-desk',
      redirect_uri: 'http://127.0.0.1:8765/callback',
      prompt: 'none',
      code_challenge_method: 'S256',
    });
    for (const s of idp.seen) {
      expect(s.headers.authorization).toBeUndefined();
      expect(s.headers.cookie).toBeUndefined();
      expect(`${s.url} ${s.body}`).not.toMatch(/client_secret/);
    }
    // Each URL tried, in order, with what it answered.
    expect(r.tried.map((t) => [t.what, t.url.split('?')[0], t.outcome.split(' →')[0]])).toEqual([
      ['discovery document', `${idp.url}/.well-known/openid-configuration`, 'HTTP 200'],
      ['JWKS (signing keys)', `${idp.url}/jwks`, 'HTTP 200'],
      ['authorization request (client check)', `${idp.url}/auth`, '302'],
    ]);
    expect(r.unchecked.join('\n')).toMatch(/client secret: Test connection never sends it/);
    expect(r.unchecked.join('\n')).toMatch(/client authentication method/);
  });

  it('does not send prompt=none to an IdP that does not list it, and says so', async () => {
    idp.meta.prompt_values_supported = ['login', 'consent'];
    const r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    const q = new URL(idp.seen.find((s) => s.url.startsWith('/auth'))!.url, idp.url).searchParams;
    expect(q.has('prompt')).toBe(false);
    expect(r.unchecked.join('\n')).toMatch(/prompt=none.*does not list it/);
  });

  it('reads a 4xx, an AADSTS error page and a redirect back with unauthorized_client as "refused"', async () => {
    const refused =
      /the IdP refused this client ID with this redirect URI: the client ID is unknown, or the redirect \(with its port\) is not registered/;
    idp.authorize = (_u, res) =>
      res
        .writeHead(400, { 'content-type': 'text/html' })
        .end('<title>Bad Request</title>Invalid parameter: redirect_uri');
    let r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    expect(r.verdict).toBe('refused');
    expect(r.ok).toBe(false);
    expect(r.findings.find((f) => f.check === 'client')?.message).toMatch(refused);

    idp.authorize = (_u, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><title>Sign in</title>AADSTS700016: Application not found in the directory</html>');
    r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    expect(r.verdict).toBe('refused');
    expect(r.findings.find((f) => f.check === 'client')?.message).toMatch(/AADSTS700016/);

    idp.authorize = (u, res) => {
      const back = new URL(u.searchParams.get('redirect_uri')!);
      back.searchParams.set('error', 'unauthorized_client');
      res.writeHead(302, { location: back.href }).end();
    };
    r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    expect(r.verdict).toBe('refused');
    expect(r.findings.find((f) => f.check === 'client')?.message).toMatch(/unauthorized_client/);
  });

  it('a login page or a redirect to it does not confirm the client (some IdPs show it to any client); a 5xx is not called a refusal', async () => {
    idp.authorize = (_u, res) => res.writeHead(302, { location: '/login?x=1' }).end();
    let r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    expect(r.findings.find((f) => f.check === 'client')).toMatchObject({
      level: 'warning',
      message: expect.stringMatching(
        /is not confirmed — a Test sign-in will tell: the IdP sent the browser on to its login page/,
      ),
    });
    expect(r.verdict).toBe('unconfirmed');

    idp.authorize = (_u, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<form method="post"><input name="username"><input type="password" name="pw"></form>');
    r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    expect(r.verdict).toBe('unconfirmed');
    expect(r.ok).toBe(true);
    expect(r.findings.find((f) => f.check === 'client')?.message).toMatch(/the IdP shows its login page/);

    idp.authorize = (_u, res) => res.writeHead(503).end('down');
    r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client() });
    expect(r.verdict).toBe('problems');
    expect(r.findings.find((f) => f.check === 'client')?.message).toMatch(
      /the IdP failed on the authorization request \(HTTP 503\)/,
    );
  });

  it('tells "cannot reach" apart from "answered no" and lists what it could not check', async () => {
    const port = await freePort();
    const r = await testConnection(`http://127.0.0.1:${port}`, { timeoutMs: 2000, now, client: client() });
    expect(r.verdict).toBe('unreachable');
    expect(r.findings[0]?.message).toMatch(
      /^this computer cannot reach the IdP \(DNS, proxy, TLS\) directly: 127.0.0.1:\d+ refused the connection/,
    );
    expect(r.tried).toEqual([
      expect.objectContaining({
        url: `http://127.0.0.1:${port}/.well-known/openid-configuration`,
        outcome: expect.stringMatching(/^unreachable/),
      }),
    ]);
    expect(r.unchecked).toEqual(
      expect.arrayContaining([expect.stringMatching(/whether the IdP knows this client ID/)]),
    );

    idp.routes.set('/.well-known/openid-configuration', (_q, res) => res.writeHead(404).end());
    const no = await testConnection(idp.issuer, { timeoutMs: 2000, now, client: client() });
    expect(no.verdict).toBe('problems');
    expect(no.findings[0]?.message).toMatch(/^the IdP answered no: .* HTTP 404/);
  });

  it('with "any port", says the tried port is an example an exact-match IdP would not accept', async () => {
    const r = await testConnection(idp.issuer, { timeoutMs: 3000, now, client: client({ anyPort: true }) });
    expect(r.unchecked.join('\n')).toMatch(/SSO Desk picks a new port at each sign-in.*needs a fixed port/);
  });
});

describe.skipIf(!hasGlewlwyd())(
  'Test connection against Glewlwyd (Debian package), which matches the redirect exactly',
  () => {
    let g: Glewlwyd;
    beforeAll(async () => {
      g = await startGlewlwyd();
      await g.addClient({
        clientId: 'sso-desk-fixed',
        redirectUris: ['http://127.0.0.1:8765/callback'],
        secret: 'glew-secret-1',
        authMethods: ['client_secret_basic'],
      });
    }, 60_000);
    afterAll(async () => {
      await g?.stop();
    });

    it('accepts the registered client and redirect (interaction_required under prompt=none)', async () => {
      const r = await testConnection(g.issuer, {
        timeoutMs: 5000,
        now,
        client: client({ clientId: 'sso-desk-fixed' }),
      });
      expect(r.findings.filter((f) => f.level === 'error')).toEqual([]);
      expect(r.verdict).toBe('ok');
      expect(r.tried[2]?.outcome).toMatch(/^302 → http:\/\/127.0.0.1:8765\/callback\?.*error=interaction_required/);
    });

    it('refuses another port of the same redirect, and an unknown client ID', async () => {
      const wrongPort = await testConnection(g.issuer, {
        timeoutMs: 5000,
        now,
        client: client({ clientId: 'sso-desk-fixed', redirectUri: 'http://127.0.0.1:9876/callback' }),
      });
      expect(wrongPort.verdict).toBe('refused');
      expect(wrongPort.findings.find((f) => f.check === 'client')?.message).toMatch(
        /the redirect \(with its port\) is not registered — HTTP 403/,
      );
      const unknown = await testConnection(g.issuer, {
        timeoutMs: 5000,
        now,
        client: client({ clientId: 'no-such-client' }),
      });
      expect(unknown.verdict).toBe('refused');
    });
  },
);
