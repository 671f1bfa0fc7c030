import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, waitFor, type World } from './helpers';
import { startVendorIdp, type VendorIdp } from './vendor-idps';
import { getOidc } from '../../src/main/store/sso-config';
import { queryAudit } from '../../src/main/store/audit';

/*
 * Issue #23, point 2: while SSO is on, an IdP edit is saved only once it is proven to work — a passing
 * Test connection of exactly the new settings, and for a new IdP or client a test sign-in through them
 * — otherwise it is refused with the reason and nothing is saved; the settings it replaced are kept,
 * and "Revert to last working" restores them in one step.
 */

const CLIENT_ID = 'desk-keycloak';
const SECRET = 'keycloak-secret-0123456789';
let idp: VendorIdp;
beforeAll(async () => {
  idp = await startVendorIdp('keycloak', {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: SECRET,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    users: [{ sub: 'bob@acme.test', claims: { email: 'bob@acme.test', email_verified: true, name: 'Bob' } }],
  });
});
afterAll(() => idp.close());

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(() => world.close());

type Reply = { ok: true; value: any } | { ok: false; error: { code: string; message: string; field?: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = (name: string, input: unknown) => world.booted.dispatch(name, input) as Promise<Reply>;
/** The demo's live settings (SSO on, the embedded IdP), with changes. */
const draft = (over: Record<string, unknown> = {}) => ({
  account: 'acme',
  enabled: true,
  issuer: world.booted.urls.idp,
  clientId: 'sso-desk-demo',
  scopes: ['openid', 'email', 'profile'],
  actor: 'admin@acme.test',
  ...over,
});
const testOf = (over: Record<string, unknown> = {}) => {
  const { enabled: _e, actor: _a, ...rest } = draft(over);
  return rest;
};
const saved = () => getOidc(world.booted.ctx.store.db, 'acme')!;

async function testSignin(over: Record<string, unknown>, password: string): Promise<void> {
  const { account: _a, ...d } = testOf(over);
  const start = await call('sso.signin.start', { email: 'bob@acme.test', account: 'acme', test: true, draft: d });
  expect(start).toMatchObject({ ok: true });
  const r = await new CodeBrowser().signInAtIdp(
    start.ok ? start.value.authorizationUrl : '',
    'bob@acme.test',
    password,
  );
  await fetch((r as { callback: string }).callback);
  await waitFor(async () => {
    const s = await call('sso.signin.status', { flowId: start.ok && start.value.flowId });
    return s.ok && s.value.state !== 'waiting';
  });
  expect(await call('sso.signin.status', { flowId: start.ok && start.value.flowId })).toMatchObject({
    ok: true,
    value: { state: 'signed_in', session: null },
  });
}

describe('editing the IdP while SSO is on (sso.oidc.save)', () => {
  it('refuses an IdP whose Test connection failed, with the reason; nothing is saved and SSO stays on', async () => {
    expect(saved().enabled).toBe(true);
    const before = saved();
    const unreachable = { issuer: 'http://127.0.0.1:1', clientId: 'okta-client' };
    const untested = await call('sso.oidc.save', draft(unreachable));
    expect(untested).toMatchObject({ ok: false, error: { code: 'sso_edit_untested', field: 'enabled' } });
    expect(!untested.ok && untested.error.message).toMatch(
      /^Not saved: SSO is on.*run Test connection on exactly these settings first\. SSO stays on for Acme Corp with the saved settings; nothing was saved\.$/,
    );
    await call('sso.oidc.test', testOf(unreachable));
    const failed = await call('sso.oidc.save', draft(unreachable));
    expect(!failed.ok && failed.error.message).toMatch(
      /the Test connection of these settings failed \(this computer cannot reach the IdP/,
    );
    expect(saved()).toEqual(before);
    // Members still sign in through the saved settings.
    expect(await call('sso.signin.start', { email: 'bob@acme.test' })).toMatchObject({ ok: true });
  });

  it('a change of scopes alone needs a passing Test connection; the replaced settings are kept for Revert', async () => {
    const scopes = { scopes: ['openid', 'email'] };
    expect(await call('sso.oidc.save', draft(scopes))).toMatchObject({
      ok: false,
      error: { code: 'sso_edit_untested' },
    });
    expect(saved().scopes).toEqual(['openid', 'email', 'profile']);
    expect(await call('sso.oidc.test', testOf(scopes))).toMatchObject({ ok: true, value: { ok: true } });
    const ok = await call('sso.oidc.save', draft(scopes));
    expect(ok).toMatchObject({
      ok: true,
      value: { enabled: true, scopes: ['openid', 'email'], lastWorking: { issuer: world.booted.urls.idp } },
    });

    const reverted = await call('sso.oidc.revert', { account: 'acme', actor: 'admin@acme.test' });
    expect(reverted).toMatchObject({
      ok: true,
      value: { enabled: true, scopes: ['openid', 'email', 'profile'], lastWorking: null },
    });
    const audit = queryAudit(world.booted.ctx.store.db, { accountId: 'acme' }, { limit: 5 })[0]!;
    expect(audit).toMatchObject({ kind: 'sso.oidc.revert', actor: 'admin@acme.test' });
    expect(await call('sso.oidc.revert', { account: 'acme' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'Acme Corp has no last working SSO configuration to go back to' },
    });
  });

  it('a new IdP needs a test sign-in through the unsaved settings too; then it saves, and Revert goes back', async () => {
    const next = { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: SECRET };
    expect(await call('sso.oidc.test', testOf(next))).toMatchObject({ ok: true, value: { ok: true } });
    const noSignin = await call('sso.oidc.save', draft(next));
    expect(!noSignin.ok && noSignin.error.message).toMatch(
      /a new IdP or client decides who can sign in — do a Test sign-in through these settings first/,
    );
    expect(saved().issuer).toBe(world.booted.urls.idp);

    await testSignin(next, 'any');
    expect(saved().issuer).toBe(world.booted.urls.idp);
    expect(await call('sso.oidc.save', draft(next))).toMatchObject({
      ok: true,
      value: { issuer: idp.issuer, lastWorking: { issuer: world.booted.urls.idp, clientId: 'sso-desk-demo' } },
    });

    expect(await call('sso.oidc.revert', { account: 'acme' })).toMatchObject({
      ok: true,
      value: { enabled: true, issuer: world.booted.urls.idp, clientId: 'sso-desk-demo' },
    });
    expect(await call('sso.signin.start', { email: 'bob@acme.test' })).toMatchObject({ ok: true });
  });

  it('switching SSO off and editing with SSO off stay unguarded; the owner break-glass still saves alone', async () => {
    expect(await call('sso.oidc.save', draft({ ownerPassword: true }))).toMatchObject({
      ok: true,
      value: { enforcement: { ownerPassword: { on: true } } },
    });
    expect(await call('sso.oidc.save', draft({ enabled: false, scopes: ['openid', 'email'] }))).toMatchObject({
      ok: true,
      value: { enabled: false },
    });
  });
});
