import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROUP, PATCH_OP, USER, scimWorld, type Json, type ScimWorld } from '../scim/harness';
import { post } from '../platform-sso/harness';
import { queryAudit } from '../../src/main/store/audit';

/*
 * Issue #23, point 3: every path that deactivates or removes a member ends what they have open — the
 * login session (`GET /auth/session` answers 401) and the unexpired deep link (its page no longer
 * opens, with or without the cookie it set) — and writes one audit event naming who did it.
 */

const PASSWORD = 'End-access-pa55word!';
let w: ScimWorld;

beforeEach(async () => {
  w = await scimWorld();
});
afterEach(() => w.cleanup());

const call = async (name: string, input: unknown): Promise<Json> => {
  const r = await w.run.dispatch(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
};

/** What a user has open: a login session and a deep link into Helpdesk whose page was opened once. */
interface Open {
  session: string;
  home: string;
  cookie: string;
}

async function openEverything(email: string): Promise<Open> {
  await call('directory.users.setPassword', { email, password: PASSWORD });
  const login = await post(`${w.run.api}/auth/login`, { email, password: PASSWORD });
  expect(login.status).toBe(200);
  const { session } = (await login.json()) as { session: { token: string } };
  const issued = await post(`${w.run.api}/authorization/sso`, {
    AccountAPIKey: w.keys.acme,
    BotAPIKey: w.keys.helpdesk.key,
    BotAPISecret: w.keys.helpdesk.secret,
    Email: email,
  });
  expect(issued.status).toBe(200);
  const { Home } = (await issued.json()) as { Home: string };
  const landed = await fetch(Home, { redirect: 'manual' });
  expect(landed.status).toBe(200);
  const opened: Open = { session: session.token, home: Home, cookie: landed.headers.get('set-cookie')!.split(';')[0]! };
  await expectOpen(opened);
  return opened;
}

const sessionStatus = async (o: Open) =>
  (await fetch(`${w.run.api}/auth/session`, { headers: { Authorization: `Bearer ${o.session}` } })).status;
const linkStatus = async (o: Open, withCookie: boolean) =>
  (await fetch(o.home, { headers: withCookie ? { cookie: o.cookie } : {}, redirect: 'manual' })).status;

async function expectOpen(o: Open): Promise<void> {
  expect(await sessionStatus(o)).toBe(200);
  expect(await linkStatus(o, true)).toBe(200);
}

async function expectEnded(o: Open, opts: { session: boolean }): Promise<void> {
  if (opts.session) expect(await sessionStatus(o)).toBe(401);
  expect(await linkStatus(o, false)).not.toBe(200);
  expect(await linkStatus(o, true)).not.toBe(200);
}

/** The one audit event of the ending, with the actor and what was ended. */
function endedEvent(kind: string) {
  const events = queryAudit(w.run.store.db, {}, { limit: 50 }).filter((e) => e.kind === kind);
  expect(events).toHaveLength(1);
  return events[0]!;
}

const scimCreate = async (email: string): Promise<string> => {
  const r = await w.scim('POST', '/Users', { schemas: [USER], userName: email, active: true });
  expect(r.status).toBe(201);
  return r.body.id as string;
};

describe('the console', () => {
  it('deactivating a membership (directory.memberships.setStatus) ends the session and the deep link', async () => {
    const o = await openEverything('carol@acme.test');
    await call('directory.memberships.setStatus', { account: 'acme', email: 'carol@acme.test', status: 'deactivated' });
    await expectEnded(o, { session: true });
    const e = endedEvent('directory.membership.deactivate');
    expect(e.actor).toBe('console');
    expect(e.reason).toBe(
      'deactivated carol@acme.test in Acme Corp; ended 1 login session, 1 deep link, 1 deep-link page session',
    );

    await call('directory.memberships.setStatus', { account: 'acme', email: 'carol@acme.test', status: 'active' });
    expect((await post(`${w.run.api}/auth/login`, { email: 'carol@acme.test', password: PASSWORD })).status).toBe(200);
  });

  it('removing a membership ends the session and the deep link', async () => {
    const o = await openEverything('carol@acme.test');
    await call('directory.memberships.remove', { account: 'acme', email: 'carol@acme.test' });
    await expectEnded(o, { session: true });
    expect(endedEvent('directory.membership.remove').reason).toMatch(
      /^removed carol@acme.test from Acme Corp; ended 1 login session/,
    );
  });

  it('deleting a user ends the session and the deep link', async () => {
    const o = await openEverything('carol@acme.test');
    await call('directory.users.delete', { email: 'carol@acme.test' });
    await expectEnded(o, { session: true });
    expect(endedEvent('directory.user.delete').reason).toMatch(/; ended 1 login session, 1 deep link/);
  });

  it("taking a member off a bot's team ends that bot's deep link (the account login stays)", async () => {
    const o = await openEverything('carol@acme.test');
    await call('directory.team.remove', { bot: 'helpdesk', email: 'carol@acme.test' });
    await expectEnded(o, { session: false });
    expect(await sessionStatus(o)).toBe(200);
    expect(endedEvent('directory.team.remove').reason).toBe(
      "took carol@acme.test off Helpdesk's team; ended 1 deep link, 1 deep-link page session",
    );
  });

  it('revoking one deep link on the user page (directory.user.revokeDeepLink) ends it and its page, not the login', async () => {
    const o = await openEverything('carol@acme.test');
    const page = await call('directory.user.get', { email: 'carol@acme.test' });
    expect(page.deepLinks).toMatchObject([{ accountName: 'Acme Corp', botName: 'Helpdesk', opened: 1 }]);
    await call('directory.user.revokeDeepLink', { email: 'carol@acme.test', id: page.deepLinks[0].id });
    await expectEnded(o, { session: false });
    expect(await sessionStatus(o)).toBe(200);
    expect(endedEvent('directory.deep-link.revoke').reason).toBe(
      'revoked a deep link of carol@acme.test into Helpdesk; ended 1 deep link, 1 deep-link page session',
    );
    expect((await call('directory.user.get', { email: 'carol@acme.test' })).deepLinks).toEqual([]);
  });

  it('a package change that takes SSO Login away ends every deep link into the account', async () => {
    const o = await openEverything('carol@acme.test');
    await call('directory.accounts.update', { id: 'acme', packages: ['enterprise-toolkit'] });
    await expectEnded(o, { session: false });
    expect(endedEvent('directory.account.update').reason).toMatch(/SSO Login is off; ended 1 deep link/);
  });

  it('a plan change that takes SSO Login away ends every deep link into the account', async () => {
    const o = await openEverything('carol@acme.test');
    await call('directory.accounts.update', { id: 'acme', plan: 'free' });
    await expectEnded(o, { session: false });
  });

  it('switching SSO Login off on the Platform SSO screen ends every deep link into the account', async () => {
    const o = await openEverything('carol@acme.test');
    await call('tokens.settings.set', { account: 'acme', ssoLogin: false });
    await expectEnded(o, { session: false });
    expect(endedEvent('platform-sso.settings').reason).toBe(
      'Platform SSO of Acme Corp: ssoLogin: true → false; ended 1 deep link, 1 deep-link page session',
    );
  });
});

describe('provisioning (SCIM)', () => {
  it('PATCH active:false ends the session and the deep link, audited with the IdP as the actor', async () => {
    const id = await scimCreate('carol@acme.test');
    const o = await openEverything('carol@acme.test');
    const r = await w.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(r.body.active).toBe(false);
    await expectEnded(o, { session: true });
    expect(endedEvent('scim.user.deactivate').actor).toBe('scim:Microsoft Entra ID');
  });

  it('PUT with active:false ends the session and the deep link', async () => {
    const id = await scimCreate('carol@acme.test');
    const o = await openEverything('carol@acme.test');
    const r = await w.scim('PUT', `/Users/${id}`, { schemas: [USER], userName: 'carol@acme.test', active: false });
    expect(r.status).toBe(200);
    await expectEnded(o, { session: true });
    endedEvent('scim.user.deactivate');
  });

  it('DELETE ends the session and the deep link', async () => {
    const id = await scimCreate('carol@acme.test');
    const o = await openEverything('carol@acme.test');
    expect((await w.scim('DELETE', `/Users/${id}`)).status).toBe(204);
    await expectEnded(o, { session: true });
    expect(endedEvent('scim.user.delete').reason).toMatch(/; ended 1 login session/);
  });

  it("a group sync that takes a member off a bot's team ends that bot's deep link (the account login stays)", async () => {
    // Carol is on Helpdesk's team only through the group "Helpdesk operators", mapped to it.
    await call('directory.team.remove', { bot: 'helpdesk', email: 'carol@acme.test' });
    const carol = await scimCreate('carol@acme.test');
    const group = await w.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Helpdesk operators',
      members: [{ value: carol }],
    });
    expect(group.status).toBe(201);
    await call('provisioning.mapGroup', {
      account: 'acme',
      groupName: 'Helpdesk operators',
      bot: 'helpdesk',
      level: 'operator',
    });
    const o = await openEverything('carol@acme.test');

    // The IdP takes her out of the group: the sync removes her place through endMemberAccess.
    const r = await w.scim('PATCH', `/Groups/${group.body.id as string}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[value eq "${carol}"]` }],
    });
    expect(r.status).toBeLessThan(300);
    await expectEnded(o, { session: false });
    expect(await sessionStatus(o)).toBe(200);
    const e = endedEvent('scim.team.remove');
    expect(e.actor).toBe('scim:Microsoft Entra ID');
    expect(e.reason).toBe(
      "took carol@acme.test off Helpdesk's team: no group mapped to it has them any more; " +
        'ended 1 deep link, 1 deep-link page session',
    );
  });
});
