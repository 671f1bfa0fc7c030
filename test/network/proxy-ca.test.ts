import { createServer, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers';
import { createDispatch, type Dispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { outboundFor } from '../../src/main/engine/network/outbound';
import { sendRequest } from '../../src/main/engine/passthrough/send';
import { getSetting } from '../../src/main/store/settings';

import { startSpyIdp, PRIVATE_CA_PEM, type SpyIdp } from '../idps/spy-idp';
import { hasTinyproxy, startTinyproxy, type Tinyproxy } from '../idps/tinyproxy';
import { freePort } from '../idps/free-port';
import type { EngineContext } from '../../src/main/engine/context';

const TLS = join(__dirname, '../fixtures/tls/private-ca');

let t: ReturnType<typeof testContext>;
let dispatch: Dispatch;
let ctx: EngineContext;
beforeEach(() => {
  t = testContext();
  ctx = t.ctx;
  dispatch = createDispatch(createHandlers(ctx), ctx.log);
});
afterEach(() => {
  t.close();
});

// Assertions read the envelope's value loosely.
const call = (name: string, input?: unknown) =>
  dispatch(name, input) as Promise<
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    { ok: true; value: any } | { ok: false; error: { code: string; message: string; field?: string } }
  >;
const testIdp = (issuer: string) =>
  call('sso.oidc.test', { account: 'acme', issuer, clientId: 'sso-desk', timeoutMs: 4000 });

describe('Settings › Network validation (network.save)', () => {
  it('names the bad field and saves nothing', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ proxyUrl: 'socks5://127.0.0.1:1080' }, 'proxyUrl', /must start with http:\/\/ or https:\/\/, not socks5:/],
      [{ proxyUrl: 'proxy.example.com:3128' }, 'proxyUrl', /http:\/\/ or https:\/\/|not a URL/],
      [
        { proxyUrl: 'http://user:pw@proxy.example.com:3128' },
        'proxyUrl',
        /credentials in the proxy URL are not supported/,
      ],
      [{ noProxy: 'intranet.example.com, bad/host' }, 'noProxy', /"bad\/host" is not a host name/],
      [{ caPem: 'hello, I am not a certificate' }, 'caPem', /not PEM/],
      [{ caPem: readFileSync(join(TLS, 'idp-key.pem'), 'utf8') }, 'caPem', /private key, not a certificate/],
      [{ caPem: readFileSync(join(TLS, 'idp.pem'), 'utf8') }, 'caPem', /is not a CA certificate/],
      [{ caPem: PRIVATE_CA_PEM.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!') }, 'caPem', /does not parse|not PEM/],
    ];
    for (const [input, field, message] of cases) {
      const r = await call('network.save', { proxyUrl: 'http://127.0.0.1:3128', ...input });
      expect(r, JSON.stringify(input)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field, message: expect.stringMatching(message) },
      });
      if (!r.ok) expect(r.error.message).toMatch(/Nothing was saved\.$/);
      expect(getSetting(ctx.store.db, 'network', null)).toBeNull();
    }
  });

  it('saves a proxy and a CA, shows the CA by subject, and audits who changed what', async () => {
    const r = await call('network.save', {
      proxyUrl: 'http://proxy.corp.example:3128/',
      noProxy: '.corp.example  intranet',
      caPem: PRIVATE_CA_PEM,
      actor: 'admin@acme.test',
    });
    expect(r).toMatchObject({
      ok: true,
      value: {
        proxyUrl: 'http://proxy.corp.example:3128/',
        noProxy: '.corp.example, intranet',
        cas: [{ subject: 'CN=SSO Desk Test Private CA' }],
        effective: { source: 'settings', proxy: 'http://proxy.corp.example:3128' },
      },
    });
    const ev = ctx.store.db
      .prepare("SELECT actor, reason, detail FROM audit_events WHERE kind = 'settings.network'")
      .get() as { actor: string; reason: string; detail: string };
    expect(ev.actor).toBe('admin@acme.test');
    // Old → new per field; a CA by its fingerprint.
    expect(ev.reason).toMatch(
      /^network settings saved: proxyUrl: \(none\) → http:\/\/proxy\.corp\.example:3128\/; noProxy: .* → \.corp\.example, intranet; cas: \(none\) → [0-9A-F:]{95}$/,
    );
    expect(ev.detail).toContain('http://proxy.corp.example:3128/');
  });
});

describe('trusted CA certificates: an IdP whose certificate comes from a private CA', () => {
  let idp: SpyIdp;
  beforeEach(async () => {
    idp = await startSpyIdp({ https: true });
  });
  afterEach(async () => {
    await idp.close();
  });

  it('is "cannot reach (TLS)" until the CA is added in Settings › Network, then passes', async () => {
    const before = await testIdp(idp.issuer);
    expect(before).toMatchObject({ ok: true, value: { verdict: 'unreachable' } });
    expect(before.ok && before.value.findings[0].message).toMatch(
      /^this computer cannot reach the IdP \(DNS, proxy, TLS\) directly: 127.0.0.1:\d+: its TLS certificate is not trusted \(\w+\) — if your company uses its own CA, add it in Settings › Network/,
    );
    expect(await call('network.save', { caPem: PRIVATE_CA_PEM })).toMatchObject({ ok: true });
    const after = await testIdp(idp.issuer);
    expect(after).toMatchObject({ ok: true, value: { ok: true, verdict: 'ok' } });
    // The system roots still count: the admin's CA is added, not substituted.
    expect(outboundFor(ctx).ca!.length).toBeGreaterThan(1);
  });

  it('the token inspector’s discovery trusts the same CA', async () => {
    const { SignJWT, generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(idp.issuer)
      .sign(privateKey);
    const without = await call('inspect.token', { token, key: { source: 'discovery' } });
    expect(JSON.stringify(without)).toMatch(/Issuer discovery failed/);
    await call('network.save', { caPem: PRIVATE_CA_PEM });
    const withCa = await call('inspect.token', { token, key: { source: 'discovery' } });
    expect(JSON.stringify(withCa)).toMatch(/Keys from https:\/\/127.0.0.1:\d+\/jwks/);
  });

  it('a pass-through service behind the private CA is reached once the CA is trusted', async () => {
    const svc = createHttps(
      { key: readFileSync(join(TLS, 'idp-key.pem')), cert: readFileSync(join(TLS, 'idp.pem')) },
      (_q, res) => res.writeHead(200).end('ok'),
    );
    await new Promise<void>((r) => svc.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(svc.address() as { port: number }).port}/login`;
    try {
      const req = { method: 'POST' as const, url, headers: [] as Array<[string, string]>, body: '{}' };
      const before = await sendRequest(req, { timeoutMs: 3000, outbound: outboundFor(ctx) });
      expect(before).toMatchObject({ kind: 'error', error: 'tls' });
      await call('network.save', { caPem: PRIVATE_CA_PEM });
      expect(await sendRequest(req, { timeoutMs: 3000, outbound: outboundFor(ctx) })).toMatchObject({
        kind: 'response',
        status: 200,
      });
    } finally {
      await new Promise<void>((r) => svc.close(() => r()));
    }
  });
});

describe.skipIf(!hasTinyproxy())('an HTTPS proxy (tinyproxy from Debian) for every outbound call', () => {
  let proxy: Tinyproxy;
  let idp: SpyIdp;
  beforeAll(async () => {
    proxy = await startTinyproxy();
  }, 30_000);
  afterAll(async () => {
    await proxy?.stop();
  });
  beforeEach(async () => {
    idp = await startSpyIdp({ https: true });
  });
  afterEach(async () => {
    await idp.close();
  });
  const port = (u: string) => new URL(u).port;
  const tunnels = (u: string) =>
    proxy
      .log()
      .split('\n')
      .filter((l) => l.includes(`CONNECT 127.0.0.1:${port(u)}`)).length;

  it('Test connection goes through the proxy set in Settings (discovery, JWKS, authorization request), with the private CA', async () => {
    expect(await call('network.save', { proxyUrl: proxy.url, noProxy: '', caPem: PRIVATE_CA_PEM })).toMatchObject({
      ok: true,
    });
    const r = await testIdp(idp.issuer);
    expect(r).toMatchObject({ ok: true, value: { verdict: 'ok' } });
    // The spy closes each connection: one tunnel per request (discovery, JWKS, authorization request).
    expect(tunnels(idp.url)).toBe(3);
  });

  it('loopback bypasses the proxy by default (the embedded IdP keeps working)', async () => {
    expect(await call('network.save', { proxyUrl: proxy.url, caPem: PRIVATE_CA_PEM })).toMatchObject({
      ok: true,
      value: { noProxy: 'localhost, 127.0.0.1, [::1]' },
    });
    const r = await testIdp(idp.issuer);
    expect(r).toMatchObject({ ok: true, value: { verdict: 'ok' } });
    expect(tunnels(idp.url)).toBe(0);
  });

  it('a proxy that is down is "cannot reach … through the proxy", not "the IdP answered no"', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    await call('network.save', { proxyUrl: dead, noProxy: '' });
    const r = await testIdp(idp.issuer);
    expect(r).toMatchObject({ ok: true, value: { verdict: 'unreachable' } });
    expect(r.ok && r.value.findings[0].message).toContain(
      `this computer cannot reach the IdP (DNS, proxy, TLS) through the proxy ${dead}`,
    );
  });

  it('pass-through calls go through the proxy: http with a Via header, https through CONNECT', async () => {
    let via: string | undefined;
    const plain: Server = createServer((q, res) => {
      via = q.headers.via as string | undefined;
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    const plainUrl = `http://127.0.0.1:${(plain.address() as { port: number }).port}/auth`;
    try {
      await call('network.save', { proxyUrl: proxy.url, noProxy: '', caPem: PRIVATE_CA_PEM });
      const res = await sendRequest(
        { method: 'POST', url: plainUrl, headers: [['Content-Type', 'application/json']], body: '{"a":1}' },
        { timeoutMs: 4000, outbound: outboundFor(ctx) },
      );
      expect(res).toMatchObject({ kind: 'response', status: 200 });
      expect(via).toMatch(/tinyproxy/);
      idp.routes.set('/login', (_q, r) => r.writeHead(200).end('ok'));
      const before = tunnels(idp.url);
      const tls = await sendRequest(
        { method: 'POST', url: `${idp.url}/login`, headers: [], body: '{}' },
        { timeoutMs: 4000, outbound: outboundFor(ctx) },
      );
      expect(tls).toMatchObject({ kind: 'response', status: 200 });
      expect(tunnels(idp.url)).toBe(before + 1);
    } finally {
      await new Promise<void>((r) => plain.close(() => r()));
    }
  });

  it('HTTPS_PROXY from the environment applies when Settings sets none', async () => {
    const { Outbound, effectiveNetwork } = await import('../../src/main/engine/network/outbound');
    const { EMPTY_NETWORK } = await import('../../src/main/engine/network/settings');
    const net = effectiveNetwork(
      { ...EMPTY_NETWORK, caPem: PRIVATE_CA_PEM },
      { HTTPS_PROXY: proxy.url, NO_PROXY: 'intranet.example' },
    );
    expect(net).toMatchObject({ source: 'environment', httpsProxy: proxy.url, noProxy: ['intranet.example'] });
    const o = new Outbound({ ...net, bypassLoopback: false });
    const before = tunnels(idp.url);
    const res = await o.fetch(`${idp.url}/jwks`);
    expect(res.status).toBe(200);
    expect(tunnels(idp.url)).toBe(before + 1);
    expect(o.proxyFor(new URL('https://intranet.example/x'))).toBeNull();
    expect(o.proxyFor(new URL('https://a.intranet.example/x'))).toBeNull();
    expect(o.proxyFor(new URL('https://intranet.example.evil.test/x'))).toBe(proxy.url);
    await o.close();
  });
});
