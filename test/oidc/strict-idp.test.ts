import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, waitFor, type World } from './helpers';
import { startVendorIdp, type VendorIdp } from './vendor-idps';
import { freePort } from '../idps/free-port';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { simulatorRunsFor } from '../../src/main/engine/simulator/runs';
import { queryAudit } from '../../src/main/store/audit';
import { getEnforcement } from '../../src/main/store/sso-enforcement';

/**
 * Issue 26: an IdP that follows the RFCs more strictly, or checks later, than ours (the "strict" test
 * IdP of vendor-idps.ts): a refused client is 401 + `WWW-Authenticate: Basic` + `{"error":"invalid_client"}`;
 * Basic credentials are not form-decoded; the login form is shown to any client and the refusal comes
 * after the password; claims are released by scope and the token response names no scope; and, behind
 * a failing proxy, discovery answers 502.
 */
const CLIENT_ID = 'desk-strict';
const SECRET = 'strict-secret-0123456789';
/** A secret with characters RFC 6749 §2.3.1 form-encodes: this IdP then compares "%7E" with "~". */
const TILDE_SECRET = 'strict~secret!0123456789';
const USERS = ['ann@acme.test', 'bob@acme.test', 'carol@acme.test'].map((sub) => ({
  sub,
  claims: { email: sub, email_verified: true, name: sub.split('@')[0], preferred_username: sub.split('@')[0] },
}));
const app = (clientId: string, secret: string, redirect: string) => ({
  client_id: clientId,
  client_secret: secret,
  application_type: 'native',
  token_endpoint_auth_method: 'client_secret_basic',
  redirect_uris: [redirect],
  grant_types: ['authorization_code'],
  response_types: ['code'],
});

let port: number;
let idp: VendorIdp;
let down: VendorIdp;
beforeAll(async () => {
  port = await freePort();
  idp = await startVendorIdp('strict', {
    clients: [
      app(CLIENT_ID, SECRET, 'http://127.0.0.1/callback'),
      {
        ...app('desk-tilde', TILDE_SECRET, 'http://127.0.0.1/callback'),
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    users: USERS,
  });
  down = await startVendorIdp('strict', { clients: [], users: [], discovery502: true });
});
afterAll(async () => {
  await idp.close();
  await down.close();
});

let world: World;
beforeEach(async () => {
  world = await startWorld();
  idp.tokenRequests.length = 0;
});
afterEach(async () => {
  await oidcEngineFor(world.booted.ctx).close();
  await world.close();
});

type Reply = { ok: true; value: any } | { ok: false; error: { code: string; message: string; field?: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = (name: string, input: unknown) => world.booted.dispatch(name, input) as Promise<Reply>;

function save(extra: Record<string, unknown> = {}) {
  return oidcEngineFor(world.booted.ctx).save({
    account: 'acme',
    enabled: true,
    preset: 'generic',
    presetParams: {},
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    clearClientSecret: false,
    scopes: ['openid', 'email', 'profile'],
    redirectHost: '127.0.0.1',
    actor: 'admin@acme.test',
    ...extra,
  });
}

async function signIn(typed = 'ann@acme.test', atIdp = typed, opts: { test?: boolean } = {}) {
  const engine = oidcEngineFor(world.booted.ctx);
  const start = await engine.flows.start(typed, opts.test ? 'acme' : undefined, { test: opts.test });
  const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, atIdp, 'any');
  if ('callback' in r) await fetch(r.callback);
  return { status: engine.flows.status(start.flowId), browsed: r };
}

describe('an IdP stricter than ours (issue 26)', () => {
  it('§1 a wrong secret under Basic: 401 + WWW-Authenticate: Basic + JSON body reads as invalid_client, with the method and what to check', async () => {
    save({ clientSecret: 'not-the-secret', clientAuth: 'client_secret_basic' });
    const { status } = await signIn();
    expect(status.state).toBe('failed');
    expect(status.error?.code).toBe('token_refused');
    expect(status.error?.message).toContain(
      'token exchange failed: the IdP refused the client credentials sent as client_secret_basic (invalid_client): check the secret and the client’s authentication method at the IdP',
    );
    expect(status.error?.message).not.toMatch(/WWW-Authenticate|challenge/);
    // Chosen by hand: no suggestion to switch methods.
    expect(status.error?.message).not.toContain('choose client_secret_post');
  });

  it('§9 auto picked Basic for a secret with ~ and !: refused, and the message suggests client_secret_post; post signs in', async () => {
    save({ clientId: 'desk-tilde', clientSecret: TILDE_SECRET });
    const refused = await signIn();
    expect(refused.status.error?.message).toContain('sent as client_secret_basic (invalid_client)');
    expect(refused.status.error?.message).toContain(
      'If the secret is right, choose client_secret_post in Settings › Security › SSO (Client authentication) next',
    );
    expect(Buffer.from(idp.tokenRequests[0]!.authorization!.slice(6), 'base64').toString()).toContain('%7E');

    save({ clientId: 'desk-tilde', clientSecret: TILDE_SECRET, clientAuth: 'client_secret_post' });
    const { status } = await signIn();
    expect(status.state).toBe('signed_in');
  });

  it('§2 a login page shown to any client is "not confirmed", never ✓; switching on then needs a test sign-in', async () => {
    for (const clientId of ['no-such-client', CLIENT_ID]) {
      const r = await call('sso.oidc.test', {
        account: 'acme',
        issuer: idp.issuer,
        clientId,
        scopes: ['openid', 'email', 'profile'],
        redirectHost: '127.0.0.1',
      });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const client = r.value.findings.find((f: { check: string }) => f.check === 'client');
      expect(client).toMatchObject({ level: 'warning' });
      expect(client.message).toContain(`client ID "${clientId}"`);
      expect(client.message).toContain('is not confirmed — a Test sign-in will tell');
      expect(client.message).toContain('login_required would confirm it');
      expect(client.message).not.toMatch(/accepts/);
      expect(r.value.verdict).toBe('unconfirmed');
    }

    // The unknown client, saved with SSO off: the test passed but did not confirm the client.
    save({ clientId: 'no-such-client', clientSecret: SECRET, enabled: false });
    await call('sso.oidc.test', {
      account: 'acme',
      issuer: idp.issuer,
      clientId: 'no-such-client',
      scopes: ['openid', 'email', 'profile'],
      redirectHost: '127.0.0.1',
    });
    const view = await call('sso.oidc.get', { account: 'acme' });
    expect(view.ok && view.value.enforcement.lastTest).toMatchObject({
      ok: true,
      unconfirmed: expect.stringContaining('not confirmed'),
    });
    const n = view.ok ? view.value.enforcement.usersLosingPassword : -1;
    const on = await call('sso.oidc.save', {
      account: 'acme',
      enabled: true,
      issuer: idp.issuer,
      clientId: 'no-such-client',
      scopes: ['openid', 'email', 'profile'],
      actor: 'admin@acme.test',
      confirmLockout: n,
    });
    expect(on).toMatchObject({ ok: false, error: { code: 'sso_enable_unconfirmed', field: 'enabled' } });
    expect(!on.ok && on.error.message).toContain('Do a test sign-in through these settings first');

    // The Test sign-in tells: the login form, then after the password the IdP's error page.
    const { status, browsed } = await signIn('ann@acme.test', 'ann@acme.test', { test: true });
    expect(browsed).toEqual({ loginError: 'This application is not known' });
    expect(status.state).toBe('waiting');
    expect(status.waitingHint).toContain('"This application is not known"');
    expect(status.waitingHint).toContain('Cancel, fix the app at the IdP, and try again');
  });

  it('§2 a registered client with a redirect URI the IdP does not know: "Unauthorized URL" after the password', async () => {
    const other = await startVendorIdp('strict', {
      clients: [app(CLIENT_ID, SECRET, 'http://127.0.0.1:1/elsewhere')],
      users: USERS,
    });
    try {
      save({ issuer: other.issuer, enabled: false });
      const { browsed } = await signIn('ann@acme.test', 'ann@acme.test', { test: true });
      expect(browsed).toEqual({ loginError: 'Unauthorized URL' });
    } finally {
      await other.close();
    }
  });

  it('§3 a test sign-in credits the user the IdP signed in, not the typed one: checklist evidence, status and audit', async () => {
    save({ enabled: false });
    const { status } = await signIn('bob@acme.test', 'carol@acme.test', { test: true });
    expect(status.state).toBe('signed_in');
    expect(status.email).toBe('bob@acme.test');
    expect(status.assertedEmail).toBe('carol@acme.test');
    expect(getEnforcement(world.booted.ctx.store.db, 'acme').signin).toMatchObject({ email: 'carol@acme.test' });
    const view = await call('sso.oidc.get', { account: 'acme' });
    expect(view.ok && view.value.enforcement.lastSignin).toMatchObject({
      email: 'carol@acme.test',
      withinWindow: true,
    });
    const event = queryAudit(world.booted.ctx.store.db, { accountId: 'acme' }, { limit: 5 }).find(
      (e) => e.kind === 'sso.signin' && e.outcome === 'ok',
    );
    expect(event).toMatchObject({ email: 'carol@acme.test' });
    expect(event?.reason).toContain('test sign-in by carol@acme.test');
    expect(event?.reason).toContain('typed bob@acme.test; the IdP signed in another user');
    expect(status.steps.find((s) => s.step === 'test sign-in')?.detail).toContain('by carol@acme.test');
  });

  it('§4 an unfinished sign-in on the fixed port is taken over by the next one; nothing sends the admin to the IdP', async () => {
    save({ enabled: false, redirectPort: port });
    const engine = oidcEngineFor(world.booted.ctx);
    const first = await engine.flows.start('ann@acme.test', 'acme', { test: true });
    expect(engine.flows.listenerOpen(first.flowId)).toBe(true);
    const second = await engine.flows.start('ann@acme.test', 'acme', { test: true });
    const old = engine.flows.status(first.flowId);
    expect(old.state).toBe('failed');
    expect(old.error?.message).toContain(`a new sign-in took over the fixed redirect port ${port}`);
    expect(engine.flows.listenerOpen(first.flowId)).toBe(false);
    expect(engine.flows.listenerOpen(second.flowId)).toBe(true);
    // The second one finishes on that port.
    const r = await new CodeBrowser().signInAtIdp(second.authorizationUrl, 'ann@acme.test', 'any');
    expect((r as { callback: string }).callback.startsWith(`http://127.0.0.1:${port}/callback?`)).toBe(true);
    await fetch((r as { callback: string }).callback);
    expect(engine.flows.status(second.flowId).state).toBe('signed_in');
    // Cancel (Settings and the Simulator) frees the port too.
    const third = await engine.flows.start('ann@acme.test', 'acme', { test: true });
    expect((await engine.flows.cancel(third.flowId)).state).toBe('failed');
    expect(engine.flows.listenerOpen(third.flowId)).toBe(false);
  });

  it('§6 scopes without email, an IdP releasing claims by scope and naming no scope: the message points at SSO Desk’s Scopes', async () => {
    const view = save({ scopes: ['openid', 'profile'] });
    expect(view.scopeWarning).toContain("the claim 'email' usually comes only with the scope 'email'");
    expect(save().scopeWarning).toBeNull();
    save({ scopes: ['openid', 'profile'] });
    const { status } = await signIn();
    expect(status.error?.code).toBe('claim_missing');
    expect(status.error?.message).toContain(
      "the IdP did not list the granted scopes, so it granted those asked for (RFC 6749 §5.1): 'openid profile'",
    );
    expect(status.error?.message).toContain(
      "SSO Desk did not ask for the scope 'email', which the 'email' claim usually comes with — add email to Scopes",
    );
    expect(status.error?.message).not.toContain('does not release an email');

    // The Simulator's sentence says the same.
    const runs = simulatorRunsFor(world.booted.ctx);
    const run = await runs.start({ email: 'ann@acme.test', method: 'sso', device: {}, account: 'acme' });
    const r = await new CodeBrowser().signInAtIdp(run.sso!.authorizationUrl, 'ann@acme.test', 'any');
    await fetch((r as { callback: string }).callback);
    await waitFor(() => runs.status(run.runId).state === 'done');
    expect(runs.status(run.runId).outcome?.sentence).toContain("SSO Desk did not ask for the scope 'email'");
  });

  it('§7 Test connection with a typed secret, then Save: the test still counts for the saved settings', async () => {
    save({ enabled: false, clientSecret: 'old-secret' });
    const draft = {
      account: 'acme',
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      scopes: ['openid', 'email', 'profile'],
      redirectHost: '127.0.0.1',
    };
    expect(await call('sso.oidc.test', draft)).toMatchObject({ ok: true });
    const saved = await call('sso.oidc.save', { ...draft, enabled: false, actor: 'admin@acme.test' });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(saved.value.enforcement.lastTest.fingerprint).toBe(saved.value.enforcement.fingerprint);
    // A later edit still makes it stale.
    const edited = await call('sso.oidc.save', {
      ...draft,
      clientSecret: undefined,
      scopes: ['openid', 'email'],
      enabled: false,
      actor: 'admin@acme.test',
    });
    expect(edited.ok && edited.value.enforcement.lastTest.fingerprint).not.toBe(
      edited.ok && edited.value.enforcement.fingerprint,
    );
  });

  it('§8 a 502 at discovery (a proxy in front of the IdP) says the IdP is failing, not that the URL is wrong', async () => {
    const r = await call('sso.oidc.test', {
      account: 'acme',
      issuer: down.issuer,
      clientId: CLIENT_ID,
      scopes: ['openid', 'email', 'profile'],
      redirectHost: '127.0.0.1',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const message = r.value.findings[0].message as string;
    expect(message).toMatch(/^the IdP is failing: .*answered HTTP 502 Bad Gateway/);
    expect(message).toContain('a gateway or proxy in front of the IdP could not get an answer from it');
    expect(message).not.toContain('is the IdP URL the issuer');

    save({ issuer: down.issuer });
    await expect(oidcEngineFor(world.booted.ctx).flows.start('ann@acme.test')).rejects.toMatchObject({
      code: 'idp_discovery_failed',
      message: expect.stringMatching(/^the IdP is failing: .*answered HTTP 502/),
    });
  });
});
