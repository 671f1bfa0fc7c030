import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_TOKEN, GROUP, USER, scimWorld, type Json, type ScimWorld } from './harness';
import { findUserByEmail } from '../../src/main/store/users';
import { teamLevel } from '../../src/main/store/bots';
import { queryAudit } from '../../src/main/store/audit';

let w: ScimWorld;
beforeAll(async () => {
  w = await scimWorld();
});
afterAll(async () => w.cleanup());

async function call(name: string, input: unknown): Promise<Json> {
  const r = await w.run.dispatch(name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value;
}
async function refused(name: string, input: unknown): Promise<{ code: string; message: string }> {
  const r = await w.run.dispatch(name, input);
  expect(r.ok).toBe(false);
  return (r as { ok: false; error: { code: string; message: string } }).error;
}

describe('Settings › Provisioning channels', () => {
  it('shows the switch, the base URL and only the last four characters of the token', async () => {
    const v = await call('provisioning.get', { account: 'acme' });
    expect(v).toMatchObject({
      account: 'acme',
      enabled: true,
      baseUrl: `${w.run.api}/scim/v2`,
      gate: { allowed: true },
      token: { last4: ACME_TOKEN.slice(-4) },
    });
    expect(JSON.stringify(v)).not.toContain(ACME_TOKEN);
    const pro = await call('provisioning.get', { account: 'globex' });
    expect(pro.gate).toMatchObject({ allowed: false, reason: expect.stringMatching(/Enterprise plan/) });
    expect((await refused('provisioning.setEnabled', { account: 'initech', enabled: true })).code).toBe(
      'plan_required',
    );
    expect((await refused('provisioning.get', { account: '' })).code).toBe('invalid_input');
  });

  it('rotate: the new token is shown once and works at once, the old one is refused; revoke refuses both', async () => {
    const r = await call('provisioning.rotateToken', { account: 'umbrella' });
    expect(r.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    expect(r.replaced).toBe(true);
    expect((await w.scim('GET', '/Users', undefined, { token: r.token })).status).toBe(200);
    expect(
      (await w.scim('GET', '/Users', undefined, { token: 'scim-umbrella-token-0123456789abcdef-01234' })).status,
    ).toBe(401);
    const view = await call('provisioning.get', { account: 'umbrella' });
    expect(view.token.last4).toBe(r.token.slice(-4));
    expect(JSON.stringify(view)).not.toContain(r.token);
    expect(JSON.stringify(w.run.store.db.prepare('SELECT * FROM scim_config').all())).not.toContain(r.token);
    await call('provisioning.revokeToken', { account: 'umbrella' });
    expect((await w.scim('GET', '/Users', undefined, { token: r.token })).status).toBe(401);
    expect((await call('provisioning.get', { account: 'umbrella' })).token).toBeNull();
  });

  it('the view carries the last SCIM request of the account: when, what, its status and outcome, which IdP', async () => {
    const created = await w.scim(
      'POST',
      '/Users',
      { schemas: [USER], userName: 'last-request@acme.test' },
      { ua: 'Okta SCIM Client 1.0.0' },
    );
    expect(created.status).toBe(201);
    const after = await call('provisioning.get', { account: 'acme' });
    expect(after.lastRequest).toMatchObject({
      method: 'POST',
      path: '/scim/v2/Users',
      status: 201,
      outcome: 'ok',
      idp: expect.stringMatching(/Okta/),
    });
    expect(after.stats.users).toBeGreaterThan(0);
    const dup = await w.scim('POST', '/Users', { schemas: [USER], userName: 'last-request@acme.test' });
    expect(dup.status).toBe(409);
    const refusedView = await call('provisioning.get', { account: 'acme' });
    expect(refusedView.lastRequest).toMatchObject({
      status: 409,
      outcome: 'refused',
      summary: expect.stringMatching(/.+/),
    });
    expect(JSON.stringify(refusedView.lastRequest)).not.toContain(ACME_TOKEN);
    // Another account's view is not touched by Acme's requests.
    expect((await call('provisioning.get', { account: 'globex' })).lastRequest).toBeNull();
  });

  it('switching off refuses the IdP with 403; on again lets it in', async () => {
    await call('provisioning.setEnabled', { account: 'acme', enabled: false });
    const off = await w.scim('GET', '/Users');
    expect(off.status).toBe(403);
    expect(off.body.detail).toMatch(/switched off/);
    await call('provisioning.setEnabled', { account: 'acme', enabled: true });
    expect((await w.scim('GET', '/Users')).status).toBe(200);
  });

  it('group-to-team mappings: mapping a provisioned group puts its members on the team; unmapping takes them off', async () => {
    const u = await w.scim('POST', '/Users', { schemas: [USER], userName: 'mapped@acme.test' });
    await w.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Sales editors',
      members: [{ value: u.body.id }],
    });
    const userId = findUserByEmail(w.run.store.db, 'mapped@acme.test')!.id;
    expect(teamLevel(w.run.store.db, 'helpdesk', userId)).toBeUndefined();
    const v = await call('provisioning.mapGroup', {
      account: 'acme',
      groupName: 'Sales editors',
      bot: 'helpdesk',
      level: 'editor',
    });
    expect(v.mappings).toEqual([{ groupName: 'Sales editors', bot: 'helpdesk', botName: 'Helpdesk', level: 'editor' }]);
    expect(v.groups.find((g: { displayName: string }) => g.displayName === 'Sales editors')).toMatchObject({
      members: 1,
    });
    expect(teamLevel(w.run.store.db, 'helpdesk', userId)).toBe('editor');
    expect(
      (await refused('provisioning.mapGroup', { account: 'acme', groupName: 'x', bot: 'sales-bot', level: 'editor' }))
        .code,
    ).toBe('invalid_input');
    await call('provisioning.unmapGroup', { account: 'acme', groupName: 'sales EDITORS', bot: 'helpdesk' });
    expect(teamLevel(w.run.store.db, 'helpdesk', userId)).toBeUndefined();
  });

  it('Test provisioning replays both vendors over HTTP, every step passes, and it cleans up after itself', async () => {
    const before = (await call('provisioning.get', { account: 'acme' })).stats;
    const r = await call('provisioning.selfCheck', { account: 'acme' });
    expect(r.steps.filter((s: { ok: boolean }) => !s.ok)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(new Set(r.steps.map((s: { vendor: string }) => s.vendor))).toEqual(
      new Set(['Microsoft Entra ID', 'Okta', 'cleanup']),
    );
    expect(r.steps.map((s: { request: string }) => s.request)).toContain('POST /scim/v2/Users');
    const after = (await call('provisioning.get', { account: 'acme' })).stats;
    expect(after).toEqual(before);
    expect(
      w.run.store.db.prepare("SELECT count(*) AS n FROM users WHERE email LIKE 'sso-desk-self-check-%'").get(),
    ).toEqual({ n: 0 });
    const events = queryAudit(w.run.store.db, { method: 'scim' }, { limit: 200 });
    expect(
      events.some((e) => e.actor === 'SSO Desk self-check' && e.reason?.startsWith('POST /scim/v2/Users → 201')),
    ).toBe(true);
    // The temporary token is gone with the check.
    expect((await refused('provisioning.selfCheck', { account: 'globex' })).message).toMatch(/switch|Enterprise/);
  }, 90_000);
});
