import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { CustomFetch } from 'openid-client';
import { CodeBrowser, startWorld, type World } from '../oidc/helpers';
import { OidcEngine } from '../../src/main/engine/oidc/engine';
import { toHar } from '../../src/shared/har';
import { toCurl } from '../../src/shared/curl';
import { maskCutJson } from '../../src/main/engine/oidc/recording-fetch';

/**
 * The recorded exchanges of a sign-in must hold no secret. A confidential client (client_secret_post)
 * against an oidc-provider that keeps email out of the ID token, so that the engine also calls the
 * userinfo endpoint with the access token: every secret of OIDC travels once. The test collects each
 * secret from the wire (a pass-through fetch below the recorder) and scans the trace, the HAR built
 * from it and every curl command for its bytes.
 */
const CLIENT_SECRET = 'evidence-client-secret-0123456789abcdef';

let server: Server;
let issuer: string;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'desk-evidence',
        client_secret: CLIENT_SECRET,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' }] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // Scope claims go to userinfo only, not into the ID token: the engine must fetch them.
    conformIdTokenClaims: true,
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: sub, email_verified: true }),
    }),
  });
  server.on('request', provider.callback());
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

let world: World;
let engine: OidcEngine;
const wire: string[] = [];

/** Below the recorder: sees requests and answers in clear, as the IdP does. */
const wireTap: CustomFetch = async (url, init) => {
  const body =
    init.body instanceof URLSearchParams ? init.body.toString() : typeof init.body === 'string' ? init.body : '';
  wire.push(`${url}\n${JSON.stringify(init.headers)}\n${body}`);
  const res = await fetch(url, init as RequestInit);
  wire.push(await res.clone().text());
  return res;
};

beforeEach(async () => {
  world = await startWorld();
  wire.length = 0;
  engine = new OidcEngine(world.booted.ctx, { fetch: wireTap });
  engine.save({
    account: 'acme',
    enabled: true,
    preset: 'generic',
    presetParams: {},
    issuer,
    clientId: 'desk-evidence',
    clientSecret: CLIENT_SECRET,
    clearClientSecret: false,
    scopes: ['openid', 'email'],
    redirectHost: '127.0.0.1',
    actor: 'ann@acme.test',
    clientAuth: 'client_secret_post',
  });
});
afterEach(async () => {
  await engine.close();
  await world.close();
});

describe('recorded OIDC exchanges hold no secret', () => {
  it('discovery, token, JWKS and userinfo are steps with HTTP detail; no secret in the trace, the HAR or a curl command', async () => {
    const start = await engine.flows.start('ann@acme.test');
    const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann@acme.test', 'any');
    const callback = (r as { callback: string }).callback;
    expect((await fetch(callback)).status).toBe(200);
    const s = engine.flows.status(start.flowId);
    expect(s.state).toBe('signed_in');
    expect(s.steps.filter((x) => x.http).map((x) => x.step)).toEqual([
      'discovery document',
      'token endpoint',
      'JWKS',
      'userinfo endpoint',
    ]);
    expect(s.steps.find((x) => x.step === 'userinfo')?.outcome).toBe('ok');

    // Every secret, as it crossed the wire.
    const tokenRequest = new URLSearchParams(wire.find((w) => w.includes('code_verifier='))!.split('\n')[2]);
    const tokenResponse = JSON.parse(wire.find((w) => w.includes('"access_token"'))!) as Record<string, string>;
    const secrets = {
      client_secret: tokenRequest.get('client_secret')!,
      code: tokenRequest.get('code')!,
      code_verifier: tokenRequest.get('code_verifier')!,
      id_token: tokenResponse.id_token!,
      access_token: tokenResponse.access_token!,
    };
    expect(secrets.client_secret).toBe(CLIENT_SECRET);
    expect(secrets.code).toBe(new URL(callback).searchParams.get('code'));
    for (const [name, value] of Object.entries(secrets)) expect(value?.length, name).toBeGreaterThan(10);
    expect(wire.some((w) => w.includes(`Bearer ${secrets.access_token}`))).toBe(true);

    const run = { startedAt: s.startedAt, title: 'evidence', steps: s.steps };
    // The audit event keeps the whole redacted trace, HTTP exchanges included.
    const audit = world.booted.ctx.store.db
      .prepare("SELECT detail FROM audit_events WHERE kind = 'sso.signin' ORDER BY id DESC LIMIT 1")
      .get() as { detail: string };
    const audited = JSON.parse(audit.detail) as { steps: Array<{ step: string; http?: unknown }> };
    expect(audited.steps.map((x) => x.step)).toEqual(s.steps.map((x) => x.step));
    expect(audited.steps.filter((x) => x.http)).toHaveLength(4);
    const evidence = {
      audit: audit.detail,
      trace: JSON.stringify(s),
      har: JSON.stringify(toHar(run, 'test')),
      curl: s.steps
        .filter((x) => x.http)
        .map((x) => toCurl(x.http!))
        .join('\n'),
    };
    for (const [where, text] of Object.entries(evidence)) {
      for (const [name, value] of Object.entries(secrets))
        expect(text.includes(value), `${name} in ${where}`).toBe(false);
      // A JWT's signature alone is enough to recognise it: look for that too.
      expect(text.includes(secrets.id_token.split('.')[2]!), `id_token signature in ${where}`).toBe(false);
    }

    const token = s.steps.find((x) => x.step === 'token endpoint')!.http!;
    expect(token.request.body).toMatch(/client_secret=••••/);
    expect(JSON.parse(token.response!.body)).toMatchObject({
      access_token: '••••',
      id_token: '••••',
      token_type: expect.any(String),
    });
    const userinfo = s.steps.find((x) => x.step === 'userinfo endpoint')!.http!;
    expect(userinfo.request.headers).toContainEqual(['authorization', 'Bearer ••••']);
    expect(JSON.parse(userinfo.response!.body)).toMatchObject({ email: 'ann@acme.test' });
    const jwks = s.steps.find((x) => x.step === 'JWKS')!;
    expect(jwks.detail).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/jwks → 200 OK in \d+ ms$/);
    expect(jwks.http!.response!.body).toContain('"kid":"rs-1"');
  });

  it('a failing IdP is recorded too: the refused connection is a step with no answer', async () => {
    const dead = new OidcEngine(world.booted.ctx, { requestTimeoutMs: 2000 });
    dead.save({
      account: 'acme',
      enabled: true,
      preset: 'generic',
      presetParams: {},
      issuer: 'http://127.0.0.1:1',
      clientId: 'x',
      clearClientSecret: true,
      scopes: ['openid'],
      redirectHost: '127.0.0.1',
      actor: 'ann@acme.test',
    });
    const { Trace } = await import('../../src/main/engine/trace');
    const trace = new Trace();
    await expect(dead.flows.start('ann@acme.test', undefined, { trace })).rejects.toMatchObject({
      code: 'idp_unreachable',
    });
    expect(trace.steps.map((x) => [x.step, x.outcome])).toEqual([
      ['policy', 'ok'],
      ['discovery document', 'fail'],
      ['discovery', 'fail'],
    ]);
    expect(trace.steps[1]!.http).toMatchObject({ request: { method: 'GET' }, response: null });
    await dead.close();
  });

  it('a body cut at the size limit still has its credentials masked', () => {
    const cut =
      '{"token_type":"Bearer","access_token":"eyJhbGciOi.abc.def","id_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbm4';
    const masked = maskCutJson(cut);
    expect(masked).not.toContain('eyJ');
    expect(masked).toContain('"access_token":"••••"');
    expect(masked).toContain('"id_token":"••••"');
  });
});
