import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { CodeBrowser, startWorld, type World } from './helpers';
import { OidcEngine } from '../../src/main/engine/oidc/engine';

/**
 * An IdP no demo uses: a separately configured oidc-provider with ES256 keys only, PKCE required,
 * a confidential client (client_secret_post), its own user list and oidc-provider's own dev login
 * pages. If the engine signs in here too, it is not tuned to the embedded IdP.
 */
const USERS: Record<string, { email: string; email_verified: boolean; name: string }> = {
  'ann@acme.test': { email: 'ann@acme.test', email_verified: true, name: 'Ann at IdP two' },
  'zoe@elsewhere.test': { email: 'zoe@elsewhere.test', email_verified: true, name: 'Zoe Unregistered' },
};
const CLIENT_SECRET = 'second-idp-client-secret-0123456789';

let server: Server;
let issuer: string;
let tokenRequests: string[] = [];

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}/tenant-two`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'desk-two',
        client_secret: CLIENT_SECRET,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_post',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'es-1', alg: 'ES256', use: 'sig' }] },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    findAccount: async (_ctx, sub) =>
      USERS[sub] ? { accountId: sub, claims: async () => ({ sub, ...USERS[sub]! }) } : undefined,
  });
  const cb = provider.callback();
  server.on('request', (req, res) => {
    if (req.url?.includes('/token')) {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => tokenRequests.push(body));
    }
    // The issuer has a path: mount the provider under it, as a multi-tenant IdP would be.
    if (req.url?.startsWith('/tenant-two')) req.url = req.url.slice('/tenant-two'.length) || '/';
    cb(req, res);
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

let world: World;
let engine: OidcEngine;
beforeEach(async () => {
  world = await startWorld();
  tokenRequests = [];
  engine = new OidcEngine(world.booted.ctx);
  engine.save({
    account: 'acme',
    enabled: true,
    preset: 'generic',
    presetParams: {},
    issuer,
    clientId: 'desk-two',
    clientSecret: CLIENT_SECRET,
    clearClientSecret: false,
    scopes: ['openid', 'email', 'profile'],
    redirectHost: '127.0.0.1',
    actor: 'ann@acme.test',
    // The client is registered with client_secret_post; the IdP also lists Basic, which auto would pick.
    clientAuth: 'client_secret_post',
  });
});
afterEach(async () => {
  await engine.close();
  await world.close();
});

describe('a second IdP (ES256, PKCE required, confidential client)', () => {
  it('passes Test connection with ES256 found', async () => {
    const report = await engine.test({
      account: 'acme',
      preset: 'generic',
      presetParams: {},
      issuer,
      clientId: 'desk-two',
      clearClientSecret: false,
      scopes: ['openid'],
      redirectHost: '127.0.0.1',
      timeoutMs: 3000,
    });
    expect(report.ok).toBe(true);
    expect(report.findings.find((f) => f.check === 'signing_key')?.message).toMatch(/EC kid es-1.*ES256/);
  });

  it('signs ann in through its own login pages; the secret is sent, never traced', async () => {
    const start = await engine.flows.start('ann@acme.test');
    const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann@acme.test', 'any');
    const page = await fetch((r as { callback: string }).callback);
    expect(page.status).toBe(200);
    const s = engine.flows.status(start.flowId);
    expect(s.state).toBe('signed_in');
    expect(s.session).toMatchObject({ email: 'ann@acme.test', account: 'acme', issuer });
    expect(s.steps.find((x) => x.step === 'signature')?.detail).toMatch(/ES256 \(kid es-1\)/);
    expect(tokenRequests[0]).toContain('client_secret=');
    expect(tokenRequests[0]).toContain('code_verifier=');
    expect(JSON.stringify(s)).not.toContain(CLIENT_SECRET);
  });

  it('refuses an email the IdP asserts but SSO Desk does not know', async () => {
    const start = await engine.flows.start('ann@acme.test');
    const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'zoe@elsewhere.test', 'any');
    const page = await fetch((r as { callback: string }).callback);
    expect(page.status).toBe(400);
    expect(engine.flows.status(start.flowId).error).toEqual({
      code: 'not_registered',
      message: 'zoe@elsewhere.test (asserted by the IdP) is not a registered SSO Desk user',
    });
  });
});
