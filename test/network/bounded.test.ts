import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testConnection } from '../../src/main/engine/oidc/test-connection';
import { boundedGet, cappedFetch } from '../../src/main/engine/network/bounded-get';
import { discoverJwks } from '../../src/main/engine/inspect/issuer-discovery';
import { startSpyIdp, type SpyIdp } from '../idps/spy-idp';
import type { ServerResponse } from 'node:http';

/** Streams chunks of JSON-looking text until the client hangs up; records how much went out. */
function endless(res: ServerResponse, sent: { bytes: number; closed: boolean }): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('{"issuer":"');
  const pump = () => {
    while (!res.destroyed && sent.bytes < 64 * 1024 * 1024) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => (sent.closed = true));
  pump();
}

describe('outbound fetches are bounded (issue 10 §8)', () => {
  let idp: SpyIdp;
  beforeEach(async () => {
    idp = await startSpyIdp();
  });
  afterEach(async () => {
    await idp.close();
  });

  it('an endless discovery document is cut at the limit while streaming, not read whole', async () => {
    const sent = { bytes: 0, closed: false };
    idp.routes.set('/.well-known/openid-configuration', (_q, res) => endless(res, sent));
    const r = await testConnection(idp.issuer, { timeoutMs: 20_000, now: Date.now });
    expect(r.findings[0]).toMatchObject({
      check: 'discovery',
      level: 'error',
      message: expect.stringMatching(
        /answered with more than 512 KiB: not a metadata document \(the read stopped there\)/,
      ),
    });
    // The server saw the connection dropped long before its 64 MiB were out.
    for (let i = 0; i < 50 && !sent.closed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent.closed).toBe(true);
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
  });

  it('a JWKS that declares a size above the limit is refused before its body is read', async () => {
    idp.routes.set('/jwks', (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) });
      res.write('{"keys":[');
    });
    const r = await testConnection(idp.issuer, { timeoutMs: 20_000, now: Date.now });
    expect(r.findings.find((f) => f.check === 'signing_key')?.message).toMatch(
      /^no usable signing key: the JWKS could not be read — .*more than 512 KiB/,
    );
  });

  it('redirects are not followed to plain http:// off loopback; loopback http and https are', async () => {
    idp.routes.set('/.well-known/openid-configuration', (_q, res) =>
      res.writeHead(302, { location: 'http://idp.example.com/.well-known/openid-configuration' }).end(),
    );
    const r = await testConnection(idp.issuer, { timeoutMs: 5000, now: Date.now });
    expect(r.findings[0]?.message).toMatch(
      /redirected to plain http \(http:\/\/idp.example.com\/.well-known\/openid-configuration\); redirects to http:\/\/ are followed only on loopback/,
    );
    // Nothing was asked of idp.example.com: the refusal is not a DNS failure.
    expect(r.findings[0]?.message).not.toMatch(/DNS|cannot be found/);

    idp.routes.set('/moved', (_q, res) => res.writeHead(301, { location: `${idp.url}/jwks` }).end());
    const got = await boundedGet(`${idp.url}/moved`, { timeoutMs: 5000, maxBytes: 4096 });
    expect(got).toMatchObject({
      kind: 'ok',
      status: 200,
      url: `${idp.url}/jwks`,
      hops: [`${idp.url}/moved`, `${idp.url}/jwks`],
    });

    idp.routes.set('/loop', (_q, res) => res.writeHead(302, { location: '/loop' }).end());
    expect(await boundedGet(`${idp.url}/loop`, { timeoutMs: 5000, maxBytes: 4096 })).toMatchObject({
      kind: 'redirect_refused',
      message: expect.stringMatching(/more than 5 redirects/),
    });
  });

  it('the token inspector’s discovery obeys the same rules', async () => {
    idp.routes.set('/jwks', (_q, res) => res.writeHead(302, { location: 'http://keys.example.com/jwks' }).end());
    const r = await discoverJwks(idp.issuer, { timeoutMs: 5000 });
    expect(r).toMatchObject({
      ok: false,
      step: 'jwks',
      detail: expect.stringMatching(/redirects to http:\/\/ are followed only on loopback/),
    });
  });

  it('openid-client’s fetch (sign-in: discovery, JWKS, token, userinfo) cuts an answer at its limit', async () => {
    const sent = { bytes: 0, closed: false };
    idp.routes.set('/big', (_q, res) => endless(res, sent));
    const f = cappedFetch(fetch as never, 256 * 1024);
    await expect(f(`${idp.url}/big`, {})).rejects.toMatchObject({
      code: 'E_TOO_LARGE',
      message: expect.stringMatching(/more than 256 KiB/),
    });
    const small = await f(`${idp.url}/jwks`, {});
    expect(((await small.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });
});
