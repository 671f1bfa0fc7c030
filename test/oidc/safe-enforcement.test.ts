import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, waitFor, type World } from './helpers';
import { decidePassword } from '../../src/main/engine/policy';
import { getOidc } from '../../src/main/store/sso-config';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

type Reply = { ok: true; value: any } | { ok: false; error: { code: string; message: string; field?: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = (name: string, input: unknown) => world.booted.dispatch(name, input) as Promise<Reply>;
const draft = (over: Record<string, unknown> = {}) => ({
  account: 'acme',
  enabled: true,
  issuer: world.booted.urls.idp,
  clientId: 'sso-desk-demo',
  scopes: ['openid', 'email', 'profile'],
  actor: 'admin@acme.test',
  ...over,
});
const testDraft = (over: Record<string, unknown> = {}) => {
  const { enabled: _e, actor: _a, ...rest } = draft(over);
  return rest;
};

/** Acme starts with SSO on (the demo); these tests switch it off and try to switch it back on. */
async function off() {
  expect(await call('sso.oidc.save', draft({ enabled: false }))).toMatchObject({ ok: true, value: { enabled: false } });
}

describe('switching SSO on needs evidence (sso.oidc.save)', () => {
  it('refuses without a passing Test connection of exactly these settings, then asks for a confirmation naming the users', async () => {
    await off();
    const untested = await call('sso.oidc.save', draft());
    expect(untested).toMatchObject({ ok: false, error: { code: 'sso_enable_untested', field: 'enabled' } });
    expect(!untested.ok && untested.error.message).toMatch(
      /run Test connection on these settings first.*Nothing was saved/,
    );
    expect(getOidc(world.booted.ctx.store.db, 'acme')!.enabled).toBe(false);

    // A failing test does not count.
    await call('sso.oidc.test', testDraft({ issuer: 'http://127.0.0.1:1' }));
    expect(await call('sso.oidc.save', draft({ issuer: 'http://127.0.0.1:1', confirmLockout: 4 }))).toMatchObject({
      ok: false,
      error: {
        code: 'sso_enable_untested',
        message: expect.stringMatching(/failed \(this computer cannot reach the IdP/),
      },
    });

    // A passing test of these settings: now the admin must sign in through the IdP or confirm the count.
    expect(await call('sso.oidc.test', testDraft())).toMatchObject({ ok: true, value: { ok: true } });
    const view = await call('sso.oidc.get', { account: 'acme' });
    expect(view).toMatchObject({
      ok: true,
      value: { enforcement: { usersLosingPassword: 4, lastTest: { ok: true } } },
    });
    const unconfirmed = await call('sso.oidc.save', draft());
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'sso_enable_unconfirmed', field: 'enabled' } });
    expect(!unconfirmed.ok && unconfirmed.error.message).toContain('takes password login away from 4 users');
    // A confirmation with a stale count is refused: it must name the users who lose password login now.
    expect(await call('sso.oidc.save', draft({ confirmLockout: 3 }))).toMatchObject({
      ok: false,
      error: { code: 'sso_enable_unconfirmed', message: expect.stringContaining('named 3 users') },
    });
    expect(await call('sso.oidc.save', draft({ confirmLockout: 4 }))).toMatchObject({
      ok: true,
      value: { enabled: true },
    });
  });

  it('an edit after the test invalidates it (the fingerprint of the tested settings no longer matches)', async () => {
    await off();
    await call('sso.oidc.test', testDraft());
    const edited = await call('sso.oidc.save', draft({ scopes: ['openid', 'email'], confirmLockout: 4 }));
    expect(edited).toMatchObject({
      ok: false,
      error: { code: 'sso_enable_untested', message: expect.stringContaining('settings that have changed since') },
    });
    // Saving the edit with SSO off is fine; the saved settings' fingerprint no longer matches the test's.
    const saved = await call('sso.oidc.save', draft({ enabled: false, scopes: ['openid', 'email'] }));
    expect(saved.ok && saved.value.enforcement.fingerprint).not.toBe(
      saved.ok && saved.value.enforcement.lastTest.fingerprint,
    );
  });

  it('a test sign-in through the saved settings in the last 30 minutes is enough, without a confirmation', async () => {
    await off();
    await call('sso.oidc.test', testDraft());
    // While SSO is off, an ordinary sign-in is refused; a test sign-in goes through the saved settings.
    expect(await call('sso.signin.start', { email: 'bob@acme.test' })).toMatchObject({
      ok: false,
      error: { code: 'sso_not_enabled' },
    });
    const start = await call('sso.signin.start', { email: 'bob@acme.test', account: 'acme', test: true });
    expect(start.ok).toBe(true);
    const r = await new CodeBrowser().signInAtIdp(
      start.ok ? start.value.authorizationUrl : '',
      'bob@acme.test',
      world.password,
    );
    await fetch((r as { callback: string }).callback);
    await waitFor(async () => {
      const s = await call('sso.signin.status', { flowId: start.ok && start.value.flowId });
      return s.ok && s.value.state === 'signed_in';
    });
    const status = await call('sso.signin.status', { flowId: start.ok && start.value.flowId });
    expect(status).toMatchObject({ ok: true, value: { session: null } });
    expect(status.ok && status.value.steps.at(-1)).toMatchObject({ step: 'test sign-in', outcome: 'ok' });

    // 31 minutes later the sign-in no longer counts; within 30 it does.
    world.clock.offsetMs = 31 * 60_000;
    expect(await call('sso.oidc.save', draft())).toMatchObject({
      ok: false,
      error: { code: 'sso_enable_unconfirmed' },
    });
    world.clock.offsetMs = 29 * 60_000;
    expect(await call('sso.oidc.save', draft())).toMatchObject({
      ok: true,
      value: { enabled: true, enabledBy: 'admin@acme.test' },
    });
  });

  it('saving while SSO is already on without changing what the IdP sees, or switching it off, needs no evidence', async () => {
    expect(await call('sso.oidc.save', draft())).toMatchObject({ ok: true, value: { enabled: true } });
    // A change the IdP sees is guarded like switch-on (live-edit.test.ts).
    expect(await call('sso.oidc.save', draft({ scopes: ['openid', 'email'] }))).toMatchObject({
      ok: false,
      error: { code: 'sso_edit_untested' },
    });
    expect(await call('sso.oidc.save', draft({ enabled: false }))).toMatchObject({
      ok: true,
      value: { enabled: false },
    });
  });
});

describe('owner break-glass', () => {
  it('is off by default; switched on, owners keep their password (with the reason), others do not; audited', async () => {
    const { db } = world.booted.ctx.store;
    expect(decidePassword(db, 'ann@acme.test', 'acme')).toMatchObject({ allowed: false, code: 'sso_enforced' });
    const on = await call('sso.oidc.save', draft({ ownerPassword: true, actor: 'bob@acme.test' }));
    expect(on).toMatchObject({
      ok: true,
      value: { enforcement: { ownerPassword: { on: true, by: 'bob@acme.test' }, usersLosingPassword: 3 } },
    });
    const ann = decidePassword(db, 'ann@acme.test', 'acme');
    expect(ann).toMatchObject({ allowed: true, method: 'password' });
    expect(ann.reason).toMatch(
      /as an owner may still use a password \(the SSO Desk password\) — owner break-glass switched on by bob@acme.test/,
    );
    expect(decidePassword(db, 'ann@acme.test', 'acme', 'reset')).toMatchObject({
      allowed: false,
      code: 'sso_enforced',
    });
    expect(decidePassword(db, 'carol@acme.test', 'acme')).toMatchObject({ allowed: false, code: 'sso_enforced' });

    // A real password login through the Platform API works for the owner, not for a member.
    const api = world.booted.urls.api!;
    const login = (email: string) =>
      fetch(`${api}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: world.password, account: 'acme' }),
      });
    expect((await login('ann@acme.test')).status).toBe(200);
    expect((await login('carol@acme.test')).status).toBe(409);

    await call('sso.oidc.save', draft({ ownerPassword: false }));
    expect(decidePassword(db, 'ann@acme.test', 'acme')).toMatchObject({ allowed: false });
    const events = db
      .prepare("SELECT actor, reason FROM audit_events WHERE kind = 'sso.oidc.owner_password' ORDER BY id")
      .all();
    expect(events).toEqual([
      { actor: 'bob@acme.test', reason: expect.stringContaining('owner break-glass switched on') },
      { actor: 'admin@acme.test', reason: expect.stringContaining('owner break-glass switched off') },
    ]);
  });
});

describe('the tested settings are every setting the IdP sees (one shared fingerprint)', () => {
  const changedSince = {
    ok: false,
    error: {
      code: 'sso_enable_untested',
      field: 'enabled',
      message: expect.stringContaining('test these settings again'),
    },
  };

  /** Saved with SSO off: a confidential client with client_secret_basic, the port and claim as given. */
  async function savedOff(over: Record<string, unknown> = {}) {
    const r = await call(
      'sso.oidc.save',
      draft({ enabled: false, clientSecret: 'demo-secret', clientAuth: 'client_secret_basic', ...over }),
    );
    expect(r).toMatchObject({ ok: true, value: { enabled: false } });
  }

  it.each([
    ['redirectPort', { redirectPort: 8765 }],
    ['redirectPort (back to any port)', { redirectPort: null }],
    ['clientAuth', { clientAuth: 'client_secret_post' }],
    ['userClaim', { userClaim: 'preferred_username' }],
    ['the client secret', { clientSecret: 'another-secret' }],
  ])('changing %s after a passing test refuses the switch-on ("test these settings again")', async (_name, change) => {
    await savedOff({ redirectPort: 9123 });
    expect(await call('sso.oidc.test', testDraft())).toMatchObject({ ok: true, value: { ok: true } });
    const refused = await call('sso.oidc.save', draft({ ...change, confirmLockout: 4 }));
    expect(refused).toMatchObject(changedSince);
    expect(getOidc(world.booted.ctx.store.db, 'acme')).toMatchObject({
      enabled: false,
      redirectPort: 9123,
      clientAuth: 'client_secret_basic',
      userClaim: 'email',
    });
    // Tested as changed, the same draft is allowed (with the confirmation naming the count).
    expect(await call('sso.oidc.test', testDraft(change))).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('sso.oidc.save', draft({ ...change, confirmLockout: 4 }))).toMatchObject({
      ok: true,
      value: { enabled: true },
    });
  });

  it('an unchanged draft is allowed, whether it repeats the stored fields or leaves them out (absent = keep)', async () => {
    await savedOff({ redirectPort: 9123, userClaim: 'preferred_username' });
    expect(await call('sso.oidc.test', testDraft())).toMatchObject({ ok: true, value: { ok: true } });
    const same = {
      redirectPort: 9123,
      clientAuth: 'client_secret_basic',
      userClaim: 'preferred_username',
      confirmLockout: 4,
    };
    expect(await call('sso.oidc.save', draft(same))).toMatchObject({
      ok: true,
      value: { enabled: true, redirectPort: 9123 },
    });
    await off();
    expect(await call('sso.oidc.test', testDraft(same))).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('sso.oidc.save', draft({ confirmLockout: 4 }))).toMatchObject({
      ok: true,
      value: { enabled: true },
    });
  });

  it('private_key_jwt: another key (generated or imported) after the test refuses the switch-on', async () => {
    await savedOff({ clientAuth: 'private_key_jwt' });
    const before = await call('sso.oidc.get', { account: 'acme' });
    expect(before).toMatchObject({
      ok: true,
      value: { clientKeySet: true, clientKeyRef: expect.stringMatching(/^ref:/) },
    });
    expect(await call('sso.oidc.test', testDraft())).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('sso.oidc.save', draft({ newClientKey: true, confirmLockout: 4 }))).toMatchObject(changedSince);
    // The new key saved with SSO off: the saved settings' fingerprint moves, so the old test no longer counts.
    const rekeyed = await call('sso.oidc.save', draft({ enabled: false, newClientKey: true }));
    expect(rekeyed.ok && rekeyed.value.clientKeyRef).not.toBe(before.ok && before.value.clientKeyRef);
    expect(rekeyed.ok && rekeyed.value.enforcement.fingerprint).not.toBe(
      rekeyed.ok && rekeyed.value.enforcement.lastTest.fingerprint,
    );
    expect(await call('sso.oidc.save', draft({ confirmLockout: 4 }))).toMatchObject(changedSince);
  });

  it('a test sign-in counts only for the settings it ran on: a later port change asks for a new test', async () => {
    await off();
    expect(await call('sso.oidc.test', testDraft())).toMatchObject({ ok: true, value: { ok: true } });
    const start = await call('sso.signin.start', { email: 'bob@acme.test', account: 'acme', test: true });
    const r = await new CodeBrowser().signInAtIdp(
      start.ok ? start.value.authorizationUrl : '',
      'bob@acme.test',
      world.password,
    );
    await fetch((r as { callback: string }).callback);
    await waitFor(async () => {
      const s = await call('sso.signin.status', { flowId: start.ok && start.value.flowId });
      return s.ok && s.value.state === 'signed_in';
    });
    // Same settings: the sign-in is the evidence (no confirmation needed) — but not for another port.
    expect(await call('sso.oidc.save', draft({ redirectPort: 8765 }))).toMatchObject(changedSince);
    expect(await call('sso.oidc.test', testDraft({ redirectPort: 8765 }))).toMatchObject({
      ok: true,
      value: { ok: true },
    });
    expect(await call('sso.oidc.save', draft({ redirectPort: 8765 }))).toMatchObject({
      ok: false,
      error: { code: 'sso_enable_unconfirmed' },
    });
    expect(await call('sso.oidc.test', testDraft())).toMatchObject({ ok: true, value: { ok: true } });
    expect(await call('sso.oidc.save', draft())).toMatchObject({ ok: true, value: { enabled: true } });
  });
});
