import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, type World } from './helpers';
import { startVendorIdp, type VendorIdp, type VendorIdpOptions } from './vendor-idps';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { getOidc } from '../../src/main/store/sso-config';
import { simulatorRunsFor } from '../../src/main/engine/simulator/runs';
import { waitFor } from './helpers';

/**
 * Against an IdP that behaves like Keycloak: the loopback redirect registered without a port accepts
 * any port; client_secret_basic, client_secret_post and private_key_jwt ("Signed JWT") are offered;
 * a refused client reads "Invalid client or Invalid client credentials".
 */
const APP = {
  application_type: 'native',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
};
const SECRET = 'kc-secret-0123456789abcdef';
const USERS = [
  {
    sub: 'ann@acme.test',
    claims: { email: 'ann@acme.test', email_verified: true, name: 'Ann', preferred_username: 'ann' },
  },
];

const started: VendorIdp[] = [];
const keycloak = async (clients: Array<Record<string, unknown>>, extra: Partial<VendorIdpOptions> = {}) => {
  const idp = await startVendorIdp('keycloak', { clients, users: USERS, ...extra });
  started.push(idp);
  return idp;
};
afterAll(async () => {
  await Promise.all(started.map((i) => i.close()));
});

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await oidcEngineFor(world.booted.ctx).close();
  await world.close();
});

function save(issuer: string, clientId: string, extra: Record<string, unknown> = {}) {
  return oidcEngineFor(world.booted.ctx).save({
    account: 'acme',
    enabled: true,
    preset: 'generic',
    presetParams: {},
    issuer,
    clientId,
    clearClientSecret: false,
    scopes: ['openid', 'email', 'profile'],
    redirectHost: '127.0.0.1',
    actor: 'admin@acme.test',
    ...extra,
  });
}

async function signIn() {
  const engine = oidcEngineFor(world.booted.ctx);
  const start = await engine.flows.start('ann@acme.test');
  const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann@acme.test', 'any');
  await fetch((r as { callback: string }).callback);
  return engine.flows.status(start.flowId);
}

describe('a Keycloak-like IdP', () => {
  it('a public client (none + PKCE) on any port, registered without one: no secret, no Authorization header', async () => {
    const idp = await keycloak([{ ...APP, client_id: 'kc-public', token_endpoint_auth_method: 'none' }]);
    const view = save(idp.issuer, 'kc-public', { clientAuth: 'none' });
    expect(view.redirectUri).toBe('http://127.0.0.1/callback');
    const s = await signIn();
    expect(s.state).toBe('signed_in');
    expect(idp.tokenRequests[0]!.authorization).toBeUndefined();
    expect(idp.tokenRequests[0]!.body).not.toMatch(/client_secret|client_assertion/);
    expect(idp.tokenRequests[0]!.body).toContain('code_verifier=');
  });

  it('private_key_jwt: SSO Desk generates the key pair, shows the public JWKS, keeps the private key encrypted, and signs in', async () => {
    const view = save('http://127.0.0.1:9/realms/acme', 'kc-jwt', { clientAuth: 'private_key_jwt' });
    expect(view.clientKeySet).toBe(true);
    const jwk = view.clientJwks!.keys[0]!;
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    const row = getOidc(world.booted.ctx.store.db, 'acme')!;
    expect(row.clientKeyEnc).not.toContain('PRIVATE KEY');
    expect(world.booted.ctx.platform.secrets.decrypt(row.clientKeyEnc!)).toContain('-----BEGIN PRIVATE KEY-----');
    // The admin registers the JWKS shown at the IdP ("Signed JWT").
    const idp = await keycloak([
      { ...APP, client_id: 'kc-jwt', token_endpoint_auth_method: 'private_key_jwt', jwks: view.clientJwks },
    ]);
    const again = save(idp.issuer, 'kc-jwt');
    expect(again.clientJwks).toEqual(view.clientJwks);
    const s = await signIn();
    expect(s.state).toBe('signed_in');
    const body = new URLSearchParams(idp.tokenRequests[0]!.body);
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = JSON.parse(
      Buffer.from(body.get('client_assertion')!.split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(assertion).toMatchObject({ iss: 'kc-jwt', sub: 'kc-jwt' });
    const exchange = s.steps.find((x) => x.step === 'token endpoint')!;
    expect(exchange.http!.request.body).toContain('client_assertion=••••');
  });

  it('a wrong secret: Keycloak’s unauthorized_client, the method named, the catalogue’s advice', async () => {
    const idp = await keycloak([
      { ...APP, client_id: 'kc-secret', client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic' },
    ]);
    save(idp.issuer, 'kc-secret', { clientSecret: 'not-the-secret' });
    const s = await signIn();
    expect(s.error?.code).toBe('token_refused');
    expect(s.error?.message).toContain(
      'the IdP refused the client credentials sent as client_secret_basic (unauthorized_client): check the secret and the client’s authentication method at the IdP — "Invalid client or Invalid client credentials"',
    );
    expect(s.error?.message).toContain('keycloak:invalid_client_credentials');
  });

  it('the user declined the email scope: claim_missing names the granted scopes, in the trace and in the Simulator’s sentence', async () => {
    const idp = await keycloak([{ ...APP, client_id: 'kc-public', token_endpoint_auth_method: 'none' }], {
      grantScopes: 'openid profile',
    });
    save(idp.issuer, 'kc-public');
    const runs = simulatorRunsFor(world.booted.ctx);
    const run = await runs.start({ email: 'ann@acme.test', method: 'sso', device: {} });
    const r = await new CodeBrowser().signInAtIdp(run.sso!.authorizationUrl, 'ann@acme.test', 'any');
    await fetch((r as { callback: string }).callback);
    await waitFor(() => runs.status(run.runId).state === 'done');
    const done = runs.status(run.runId);
    expect(done.outcome?.code).toBe('claim_missing');
    expect(done.outcome?.message).toContain(
      "the IdP granted only 'openid profile': the user did not consent to 'email'",
    );
    expect(done.outcome?.sentence).toBe(
      "The identity provider did not send the 'email' claim that identifies ann@acme.test (the IdP granted only 'openid profile': the user did not consent to 'email'); ask ann to sign in again and allow it, or have an admin choose another claim in Settings › Security › SSO.",
    );
    expect(done.steps.find((x) => x.step === 'token exchange')!.detail).toContain('scopes granted: openid profile');
    expect(JSON.stringify(done.steps)).not.toMatch(/read from the userinfo/);
  });
});
