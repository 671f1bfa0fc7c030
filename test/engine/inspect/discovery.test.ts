import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectToken } from '../../../src/main/engine/inspect/jwt-inspect';
import { configurationUrl } from '../../../src/main/engine/inspect/issuer-discovery';
import { makeKey, signToken, T0, type TestKey } from './keys';

/**
 * A real issuer on 127.0.0.1:0. Each path prefix is a differently broken issuer:
 * /good, /not-json, /wrong-issuer, /no-jwks, /jwks-down, /hang, /trailing/ (issuer with a slash).
 */
let server: Server;
let base: string;
let rsa: TestKey;
let other: TestKey;
const hits: string[] = [];
const hanging: ServerResponse[] = [];

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  hits.push(path);
  const json = (body: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const config = (issuer: string, extra: Record<string, unknown> = {}) =>
    json({ issuer: `${base}${issuer}`, jwks_uri: `${base}${issuer.replace(/\/$/, '')}/jwks`, ...extra });
  switch (path) {
    case '/good/.well-known/openid-configuration':
      return config('/good');
    case '/good/jwks':
      return json({ keys: [other.publicJwk, rsa.publicJwk] });
    case '/trailing/.well-known/openid-configuration':
      return config('/trailing/');
    case '/trailing/jwks':
      return json({ keys: [rsa.publicJwk] });
    case '/not-json/.well-known/openid-configuration':
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html>Sign in to continue</html>');
    case '/wrong-issuer/.well-known/openid-configuration':
      return json({ issuer: 'https://someone-else.example', jwks_uri: `${base}/good/jwks` });
    case '/no-jwks/.well-known/openid-configuration':
      return json({ issuer: `${base}/no-jwks` });
    case '/jwks-404/.well-known/openid-configuration':
      return config('/jwks-404');
    case '/hang/.well-known/openid-configuration':
      hanging.push(res);
      return;
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
  }
}

beforeAll(async () => {
  [rsa, other] = await Promise.all([makeKey('RS256', 'idp-2026'), makeKey('ES256', 'idp-ec')]);
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const r of hanging) r.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const run = async (iss: string | undefined, timeoutMs = 5000) =>
  inspectToken(
    { token: await signToken(rsa, { iss }), key: { source: 'discovery' } },
    { now: T0, discoveryTimeoutMs: timeoutMs },
  );

describe('inspect.token: discovery from iss', () => {
  it('builds the configuration URL from the issuer, with or without a trailing slash', () => {
    expect(configurationUrl('https://idp.example/tenant/').href).toBe(
      'https://idp.example/tenant/.well-known/openid-configuration',
    );
    expect(configurationUrl('https://idp.example').href).toBe('https://idp.example/.well-known/openid-configuration');
  });

  it('fetches openid-configuration then jwks_uri and verifies', async () => {
    const r = await run(`${base}/good`);
    expect(r.verification.status).toBe('verified');
    expect(r.verification.checks[0]).toEqual({
      id: 'discovery',
      name: 'Issuer discovery',
      ok: true,
      detail: `Keys from ${base}/good/jwks, found through ${base}/good/.well-known/openid-configuration.`,
    });
    expect(r.verification.keySource).toBe(`the issuer’s JWKS at ${base}/good/jwks`);
    expect(hits).toContain('/good/jwks');
  });

  it('handles an issuer with a trailing slash', async () => {
    expect((await run(`${base}/trailing/`)).verification.status).toBe('verified');
  });

  it('says when the issuer is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await run(`http://127.0.0.1:${port}`);
    expect(r.verification.status).toBe('failed');
    expect(r.verification.reason).toBe(
      `Issuer discovery failed: 127.0.0.1:${port} refused the connection: nothing is listening there (is the IdP running?)`,
    );
  });

  it('says when the issuer does not answer in time', async () => {
    const started = Date.now();
    const r = await run(`${base}/hang`, 300);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.verification.reason).toBe(
      `Issuer discovery failed: ${base}/hang/.well-known/openid-configuration did not answer within 0.3 s.`,
    );
  });

  it('says when the configuration is not JSON, is missing, names another issuer, or has no jwks_uri', async () => {
    expect((await run(`${base}/not-json`)).verification.reason).toBe(
      `Issuer discovery failed: ${base}/not-json/.well-known/openid-configuration did not answer JSON (text/html; starts with "<html>Sign in to continue</html>")`,
    );
    expect((await run(`${base}/missing`)).verification.reason).toBe(
      `Issuer discovery failed: ${base}/missing/.well-known/openid-configuration answered HTTP 404 Not Found, expected 200.`,
    );
    expect((await run(`${base}/wrong-issuer`)).verification.reason).toBe(
      `Issuer mismatch: the token says iss "${base}/wrong-issuer" but ${base}/wrong-issuer/.well-known/openid-configuration says issuer "https://someone-else.example". Keys of one issuer cannot vouch for another.`,
    );
    expect((await run(`${base}/no-jwks`)).verification.reason).toBe(
      `Issuer discovery failed: ${base}/no-jwks/.well-known/openid-configuration has no jwks_uri, so the issuer publishes no signing keys.`,
    );
    expect((await run(`${base}/jwks-404`)).verification.reason).toBe(
      `Fetching the issuer's keys failed: ${base}/jwks-404/jwks answered HTTP 404 Not Found, expected 200.`,
    );
  });

  it('does not fetch for a token without iss, a non-URL iss, or a plain-http remote issuer', async () => {
    const before = hits.length;
    expect((await run(undefined)).verification.reason).toBe(
      'The token has no iss claim, so there is no issuer to discover keys from.',
    );
    expect((await run('acme-idp')).verification.reason).toBe(
      'The issuer "acme-idp" is not a URL, so its keys cannot be discovered.',
    );
    expect((await run('http://idp.example.test')).verification.reason).toBe(
      'The issuer http://idp.example.test/.well-known/openid-configuration is not https; SSO Desk fetches keys over plain http only from this machine (loopback).',
    );
    expect(hits.length).toBe(before);
  });

  it('reports an unknown kid against the discovered JWKS with the kids it has', async () => {
    const r = await inspectToken(
      { token: await signToken(rsa, { iss: `${base}/good` }, { kid: 'old-2024' }), key: { source: 'discovery' } },
      { now: T0 },
    );
    expect(r.verification.checks.map((c) => [c.id, c.ok])).toEqual([
      ['discovery', true],
      ['algorithm', true],
      ['key', false],
      ['exp', true],
    ]);
    expect(r.verification.reason).toBe(
      'Unknown kid "old-2024": no key with that ID in the issuer’s JWKS; it has "idp-ec", "idp-2026". The issuer may have rotated its keys.',
    );
  });
});
