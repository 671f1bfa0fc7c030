import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, type World } from './helpers';
import { ENTRA_TENANT_ID, startVendorIdp, type VendorIdp, type VendorIdpOptions } from './vendor-idps';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { supportSentence } from '../../src/shared/support-sentence';

/**
 * Against an IdP that behaves like Microsoft Entra ID: the tenant typed as a domain, a GUID issuer,
 * no email in tokens (preferred_username / upn instead), `organizations` with a `{tenantid}`
 * template, and AADSTS errors with trace and correlation IDs.
 */
const PUBLIC_APP = {
  client_id: 'entra-app',
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code'],
  response_types: ['code'],
};
const CONF_SECRET = 'entra~Secret.Value_0123456789';
const CONF_APP = {
  ...PUBLIC_APP,
  client_id: 'entra-conf',
  client_secret: CONF_SECRET,
  token_endpoint_auth_method: 'client_secret_basic',
};
const ANN = {
  sub: 'ann-object-id',
  claims: { preferred_username: 'ann@acme.test', upn: 'ann@acme.test', name: 'Ann Lee' },
};

const started: VendorIdp[] = [];
const entra = async (extra: Partial<VendorIdpOptions> = {}) => {
  const idp = await startVendorIdp('entra', { clients: [PUBLIC_APP, CONF_APP], users: [ANN], ...extra });
  started.push(idp);
  return idp;
};
let idp: VendorIdp;
beforeAll(async () => {
  idp = await entra();
});
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

function save(issuer: string, extra: Record<string, unknown> = {}) {
  return oidcEngineFor(world.booted.ctx).save({
    account: 'acme',
    enabled: true,
    preset: 'generic',
    presetParams: {},
    issuer,
    clientId: 'entra-app',
    clearClientSecret: false,
    scopes: ['openid', 'email', 'profile'],
    redirectHost: '127.0.0.1',
    actor: 'admin@acme.test',
    ...extra,
  });
}

async function signIn(email = 'ann@acme.test') {
  const engine = oidcEngineFor(world.booted.ctx);
  const start = await engine.flows.start(email);
  const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann-object-id', 'any');
  await fetch((r as { callback: string }).callback);
  return engine.flows.status(start.flowId);
}

describe('an Entra-like IdP', () => {
  it('a tenant typed as a domain resolves to the canonical GUID issuer (the admin is told); preferred_username identifies the user', async () => {
    save(idp.domainIssuer!, { userClaim: 'preferred_username' });
    const s = await signIn();
    expect(s.state).toBe('signed_in');
    expect(s.session?.email).toBe('ann@acme.test');
    const note = s.steps.find((x) => x.step === 'issuer')!;
    expect(note.outcome).toBe('info');
    expect(note.detail).toContain(
      `the IdP URL names the tenant "contoso.example"; discovery reports the canonical issuer ${idp.issuer} (tenant ID ${ENTRA_TENANT_ID})`,
    );
    expect(s.steps.find((x) => x.step === 'user')!.detail).toContain("claim 'preferred_username', from the ID token");
    const report = await oidcEngineFor(world.booted.ctx).test({
      account: 'acme',
      preset: 'generic',
      presetParams: {},
      issuer: idp.domainIssuer!,
      clientId: 'entra-app',
      clearClientSecret: false,
      scopes: ['openid'],
      redirectHost: '127.0.0.1',
      timeoutMs: 3000,
    });
    expect(report.findings.find((f) => f.check === 'issuer')).toMatchObject({
      level: 'ok',
      message: expect.stringContaining(`resolves to the canonical issuer "${idp.issuer}"`),
    });
  });

  it('with the default claim (email), which Entra ID does not send: claim_missing, and the trace claims no userinfo read', async () => {
    save(idp.issuer);
    const s = await signIn();
    expect(s.error?.code).toBe('claim_missing');
    expect(s.error?.message).toContain(
      "the 'email' claim that identifies the user is missing, neither in the ID token nor from the userinfo endpoint; the IdP granted 'openid email profile'",
    );
    expect(s.error?.message).toContain('choose preferred_username or upn');
    const userinfo = s.steps.filter((x) => x.step === 'userinfo');
    expect(userinfo.map((x) => x.outcome)).toEqual(['warn']);
    expect(userinfo[0]!.detail).toMatch(/^the userinfo endpoint answered without 'email'/);
    expect(JSON.stringify(s.steps)).not.toMatch(/read from the userinfo/);
  });

  it('multi-tenant "organizations": the {tenantid} issuer is filled from tid and checked against the key’s issuer', async () => {
    save(idp.multiTenantIssuer!, { userClaim: 'upn' });
    const s = await signIn();
    expect(s.state).toBe('signed_in');
    expect(s.steps.find((x) => x.step === 'iss')!.detail).toBe(
      `iss = ${idp.issuer} (tenant ${ENTRA_TENANT_ID} from tid, filled into ${idp.origin}/{tenantid}/v2.0; the signing key’s issuer agrees)`,
    );
  });

  it('multi-tenant: a tid that is not a GUID is refused', async () => {
    const odd = await entra({ tid: 'contoso' });
    save(odd.multiTenantIssuer!, { userClaim: 'upn' });
    const s = await signIn();
    expect(s.error).toEqual({
      code: 'issuer_not_allowed',
      message: `the ID token’s tid is "contoso", not a tenant GUID: a multi-tenant issuer (${odd.origin}/{tenantid}/v2.0) is accepted only with one`,
    });
  });

  it('multi-tenant: a signing key issued for another issuer is refused', async () => {
    const odd = await entra({ keyIssuer: 'https://login.example/{tenantid}/v2.0' });
    save(odd.multiTenantIssuer!, { userClaim: 'upn' });
    const s = await signIn();
    expect(s.error?.code).toBe('issuer_not_allowed');
    expect(s.error?.message).toContain(
      `does not match the issuer of its signing key (https://login.example/${ENTRA_TENANT_ID}/v2.0`,
    );
  });

  it('a wrong client secret: AADSTS7000215 in words, with the trace and correlation IDs support quotes', async () => {
    save(idp.issuer, { clientId: 'entra-conf', clientSecret: 'the-secret-ID-not-its-value', userClaim: 'upn' });
    const s = await signIn();
    expect(s.error?.code).toBe('token_refused');
    expect(s.error?.message).toContain(
      'the IdP refused the client credentials sent as client_secret_basic (invalid_client): check the secret',
    );
    expect(s.error?.message).toContain(
      'AADSTS7000215: the client secret is wrong (often the secret ID was copied instead of its value)',
    );
    expect(s.error?.message).toContain(
      'trace ID 0f6b0a4e-1111-4c2d-9e8f-aaaaaaaaaaaa, correlation ID 7c9d2b1a-2222-4e3f-8a9b-bbbbbbbbbbbb',
    );
    const facts = oidcEngineFor(world.booted.ctx).flows.facts(s.flowId);
    expect(
      supportSentence({
        code: 'token_refused',
        email: 'ann@acme.test',
        accountName: 'Acme Corp',
        idpHost: '127.0.0.1',
        ...facts,
      }),
    ).toContain(
      'it answered AADSTS7000215 (the client secret is wrong (often the secret ID was copied instead of its value); trace ID 0f6b0a4e-1111-4c2d-9e8f-aaaaaaaaaaaa',
    );
  });

  it('a user not assigned to the app: the AADSTS50105 answer is explained in the trace', async () => {
    const strict = await entra({ unassigned: ['ann@acme.test'] });
    save(strict.issuer, { userClaim: 'upn' });
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const res = await fetch(start.authorizationUrl, { redirect: 'manual' });
    await fetch(res.headers.get('location')!);
    const s = engine.flows.status(start.flowId);
    expect(s.error?.code).toBe('idp_error');
    expect(s.error?.message).toContain(
      'AADSTS50105: the user is not assigned to the app, and the app requires assignment — assign the user',
    );
    expect(s.error?.message).toMatch(/trace ID [0-9a-f-]{36}, correlation ID [0-9a-f-]{36}/);
  });
});
