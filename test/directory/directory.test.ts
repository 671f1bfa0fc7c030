import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { decidePassword } from '../../src/main/engine/policy';
import { sha256, verifyPassword } from '../../src/main/engine/crypto/hash';
import { findUserByEmail } from '../../src/main/store/users';
import { getMembership } from '../../src/main/store/accounts';
import { insertAuthSession } from '../../src/main/store/auth-sessions';
import { queryAudit } from '../../src/main/store/audit';
import { testContext } from '../helpers';

let t: ReturnType<typeof testContext>;
let call: Dispatch;

const WS = {
  format: 'sso-desk/workspace@1',
  accounts: [
    {
      id: 'acme',
      name: 'Acme Corp',
      plan: 'enterprise',
      packages: ['sso-login'],
      apiKey: 'acc_live_0123456789abcdefWXYZ',
      oidc: { enabled: true, issuer: 'https://idp.example/', clientId: 'desk' },
    },
    { id: 'globex', name: 'Globex Inc', plan: 'pro' },
  ],
  users: [
    { email: 'ann@acme.test', name: 'Ann Lee', password: 'ann-password-1' },
    { email: 'bob@acme.test', name: 'Bob Stone', password: 'bob-password-1' },
  ],
  memberships: [
    { account: 'acme', email: 'ann@acme.test', role: 'owner' },
    { account: 'globex', email: 'bob@acme.test', role: 'owner' },
    { account: 'acme', email: 'bob@acme.test', role: 'member' },
  ],
  bots: [
    {
      id: 'helpdesk',
      account: 'acme',
      name: 'Helpdesk',
      owner: 'ann@acme.test',
      team: [{ email: 'bob@acme.test', level: 'viewer' }],
    },
  ],
};

beforeEach(async () => {
  t = testContext();
  await importWorkspace(t.store.db, t.ctx.platform.secrets, JSON.stringify(WS));
  call = createDispatch(createHandlers(t.ctx), t.ctx.log);
});
afterEach(() => t.close());

const value = async <T = unknown>(name: string, input?: unknown): Promise<T> => {
  const r = await call(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
};
const lastAudit = () => queryAudit(t.store.db, {}, { limit: 1 })[0]!;

describe('directory: the same rules as a workspace import', () => {
  it('refuses what import refuses, with the same words and the field named', async () => {
    const bad = { id: 'Acme Corp', name: 'Acme', plan: 'free' };
    const viaConsole = await call('directory.accounts.create', bad);
    let viaImport = '';
    try {
      await importWorkspace(
        t.store.db,
        t.ctx.platform.secrets,
        JSON.stringify({ format: 'sso-desk/workspace@1', accounts: [bad] }),
      );
    } catch (e) {
      viaImport = (e as Error).message;
    }
    expect(viaConsole).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'id', message: 'id: expected lowercase letters, digits and dashes' },
    });
    expect(viaImport).toBe('accounts[0].id: expected lowercase letters, digits and dashes');
    expect(await call('directory.accounts.create', { id: 'x', name: 'X', plan: 'gold' })).toMatchObject({
      ok: false,
      error: { field: 'plan' },
    });
    expect(await call('directory.users.create', { email: 'not-an-email', name: 'N' })).toMatchObject({
      ok: false,
      error: { field: 'email' },
    });
    expect(await call('directory.team.set', { bot: 'helpdesk', email: 'ann@acme.test', level: 'boss' })).toMatchObject({
      ok: false,
      error: { field: 'level' },
    });
    // What needs the database: a second account with the same id, an unknown owner.
    expect(await call('directory.accounts.create', { id: 'acme', name: 'Again', plan: 'free' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'id' },
    });
    expect(
      await call('directory.bots.create', { id: 'b2', account: 'acme', name: 'B', owner: 'nobody@x.test' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'owner' },
    });
  });
});

describe('directory: accounts', () => {
  it('creates, renames and changes the plan, each audited with old and new value', async () => {
    const created = await value('directory.accounts.create', { id: 'initech', name: 'Initech', plan: 'free' });
    expect(created).toMatchObject({
      id: 'initech',
      name: 'Initech',
      plan: 'free',
      packages: [],
      embeddable: false,
      members: 0,
    });
    expect(lastAudit()).toMatchObject({ kind: 'directory.account.create', accountId: 'initech', actor: 'console' });
    await value('directory.accounts.update', { id: 'initech', name: 'Initech LLC', plan: 'pro', embeddable: true });
    const e = lastAudit();
    expect(e.kind).toBe('directory.account.update');
    expect(e.reason).toBe('changed name, plan, embeddable of Initech LLC');
    const detail = (await value<{ detail: { changes: unknown[] } }>('audit.get', { id: e.id })).detail;
    expect(detail.changes).toEqual([
      { field: 'account.name', old: 'Initech', new: 'Initech LLC' },
      { field: 'account.plan', old: 'free', new: 'pro' },
      { field: 'account.embeddable', old: false, new: true },
    ]);
  });

  it('names what goes with an account before deleting it, then deletes exactly that', async () => {
    const impact = await value('directory.accounts.impact', { id: 'acme' });
    expect(impact).toEqual({
      id: 'acme',
      name: 'Acme Corp',
      members: 2,
      bots: ['Helpdesk'],
      activeKeys: 1,
      openSessions: 0,
      sso: true,
      passthrough: false,
      usersLeftWithoutAccount: 1,
    });
    await value('directory.accounts.delete', { id: 'acme' });
    expect((await value<Array<{ id: string }>>('directory.accounts.list')).map((a) => a.id)).toEqual(['globex']);
    expect(findUserByEmail(t.store.db, 'ann@acme.test')).toBeDefined();
    expect(lastAudit().reason).toContain('deleted account Acme Corp with 2 memberships, 1 bots');
  });
});

describe('directory: users', () => {
  it('creates a user with a password hashed by scrypt, never sent back', async () => {
    const r = await call('directory.users.create', {
      email: 'Cara@Acme.test',
      name: 'Cara',
      externalId: 'E-9',
      password: 'cara-password',
    });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).not.toContain('cara-password');
    expect(JSON.stringify(r)).not.toContain('scrypt');
    const row = findUserByEmail(t.store.db, 'cara@acme.test')!;
    expect(row.email).toBe('cara@acme.test');
    expect(await verifyPassword('cara-password', row.passwordHash!)).toBe(true);
    const audit = JSON.stringify(await value('audit.get', { id: lastAudit().id }));
    expect(audit).not.toContain('cara-password');
    expect(audit).not.toContain(row.passwordHash!);
    expect(audit).toContain('"field":"user.password","old":"not set","new":"set (changed)"');
  });

  it('edits name and external ID, resets the password (ending password sessions) and removes it', async () => {
    await value('directory.users.update', { email: 'bob@acme.test', name: 'Robert Stone', externalId: 'E-2' });
    expect(findUserByEmail(t.store.db, 'bob@acme.test')).toMatchObject({ name: 'Robert Stone', externalId: 'E-2' });
    await value('directory.users.update', { email: 'bob@acme.test', externalId: null });
    expect(findUserByEmail(t.store.db, 'bob@acme.test')!.externalId).toBeNull();

    const bob = findUserByEmail(t.store.db, 'bob@acme.test')!;
    insertAuthSession(t.store.db, {
      tokenHash: 'h1',
      userId: bob.id,
      accountId: 'globex',
      method: 'password',
      createdAt: t.clock.t,
      expiresAt: t.clock.t + 3_600_000,
    });
    expect(
      (await value<{ sessions: unknown[] }>('directory.user.get', { email: 'bob@acme.test' })).sessions,
    ).toHaveLength(1);
    await value('directory.users.setPassword', { email: 'bob@acme.test', password: 'new-password-9' });
    expect(await verifyPassword('new-password-9', findUserByEmail(t.store.db, 'bob@acme.test')!.passwordHash!)).toBe(
      true,
    );
    expect(
      (await value<{ sessions: unknown[] }>('directory.user.get', { email: 'bob@acme.test' })).sessions,
    ).toHaveLength(0);
    expect(lastAudit().reason).toBe('reset the local password of bob@acme.test; ended 1 password session');
    expect(await call('directory.users.setPassword', { email: 'bob@acme.test', password: 'short' })).toMatchObject({
      ok: false,
      error: { field: 'password' },
    });
    const cleared = await value<{ hasPassword: boolean }>('directory.users.setPassword', {
      email: 'bob@acme.test',
      password: null,
    });
    expect(cleared.hasPassword).toBe(false);
  });

  it('deletes a user, but not the owner of a bot or the only owner of an account', async () => {
    expect(await call('directory.users.delete', { email: 'ann@acme.test' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('owns Helpdesk') },
    });
    expect(await call('directory.users.delete', { email: 'bob@acme.test' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('only owner of globex') },
    });
    await value('directory.memberships.add', { account: 'globex', email: 'ann@acme.test', role: 'owner' });
    await value('directory.users.delete', { email: 'bob@acme.test' });
    expect(findUserByEmail(t.store.db, 'bob@acme.test')).toBeUndefined();
  });
});

describe('directory: memberships', () => {
  it('adds, changes the role and removes; keeps the last owner', async () => {
    const m = await value('directory.memberships.add', { account: 'globex', email: 'ann@acme.test', role: 'member' });
    expect(m).toMatchObject({ email: 'ann@acme.test', role: 'member', status: 'active', source: 'local' });
    expect(
      await call('directory.memberships.add', { account: 'globex', email: 'ann@acme.test', role: 'admin' }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await value('directory.memberships.update', { account: 'globex', email: 'ann@acme.test', role: 'admin' });
    expect(lastAudit().reason).toBe('changed the role of ann@acme.test in Globex Inc from member to admin');
    expect(
      await call('directory.memberships.update', { account: 'acme', email: 'ann@acme.test', role: 'member' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', field: 'role' },
    });
    expect(await call('directory.memberships.remove', { account: 'acme', email: 'ann@acme.test' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await value('directory.memberships.remove', { account: 'globex', email: 'ann@acme.test' });
    expect((await value<unknown[]>('directory.memberships.list', { id: 'globex' })).length).toBe(1);
  });

  it('deactivates through the shared model: the policy refuses every sign-in, the user page says who and why', async () => {
    t.clock.t = Date.parse('2026-11-20T09:00:00Z');
    const m = await value('directory.memberships.setStatus', {
      account: 'acme',
      email: 'bob@acme.test',
      status: 'deactivated',
    });
    expect(m).toMatchObject({ status: 'deactivated', statusBy: 'console', statusAt: t.clock.t });
    const bob = findUserByEmail(t.store.db, 'bob@acme.test')!;
    expect(getMembership(t.store.db, 'acme', bob.id)).toMatchObject({ status: 'deactivated', statusBy: 'console' });
    expect(decidePassword(t.store.db, 'bob@acme.test', 'acme')).toMatchObject({ allowed: false, code: 'deactivated' });
    // The other account is untouched.
    expect(decidePassword(t.store.db, 'bob@acme.test', 'globex')).toMatchObject({ allowed: true, method: 'password' });
    const page = await value<{
      accounts: Array<{ accountId: string; method: string; reason: string; statusBy: string | null }>;
    }>('directory.user.get', { email: 'bob@acme.test' });
    expect(page.accounts.find((a) => a.accountId === 'acme')).toMatchObject({
      method: 'refused',
      statusBy: 'console',
      reason:
        'bob@acme.test: deactivated in Acme Corp by an admin in the console on 2026-11-20 — every sign-in to this account is refused',
    });
    expect(page.accounts.find((a) => a.accountId === 'globex')).toMatchObject({
      method: 'password',
      reason: 'bob@acme.test: Globex Inc checks the SSO Desk password',
    });
    await value('directory.memberships.setStatus', { account: 'acme', email: 'bob@acme.test', status: 'active' });
    expect(lastAudit().kind).toBe('directory.membership.reactivate');
    // Acme enforces SSO: the policy's words again, now for an active member.
    const again = await value<{ accounts: Array<{ accountId: string; method: string; reason: string }> }>(
      'directory.user.get',
      { email: 'bob@acme.test' },
    );
    expect(again.accounts.find((a) => a.accountId === 'acme')).toMatchObject({
      method: 'sso',
      reason: expect.stringContaining('SSO enforced'),
    });
  });
});

describe('directory: bots and teams', () => {
  it('creates a bot, generates its key pair once (stored hashed), sets the team with levels', async () => {
    await value('directory.bots.create', { id: 'sales', account: 'globex', name: 'Sales', owner: 'bob@acme.test' });
    const keys = await value<{ apiKey: string; apiSecret: string; replaced: boolean }>('directory.bots.generateKeys', {
      id: 'sales',
    });
    expect(keys.replaced).toBe(false);
    const stored = t.store.db
      .prepare("SELECT kind, hash, last4 FROM api_keys WHERE bot_id = 'sales' AND revoked_at IS NULL ORDER BY kind")
      .all();
    expect(stored).toEqual([
      { kind: 'bot_key', hash: sha256(keys.apiKey), last4: keys.apiKey.slice(-4) },
      { kind: 'bot_secret', hash: sha256(keys.apiSecret), last4: keys.apiSecret.slice(-4) },
    ]);
    const listed = JSON.stringify(await value('directory.bots.list'));
    expect(listed).not.toContain(keys.apiKey);
    expect(listed).toContain(keys.apiKey.slice(-4));
    expect((await value<{ replaced: boolean }>('directory.bots.generateKeys', { id: 'sales' })).replaced).toBe(true);

    await value('directory.team.set', { bot: 'sales', email: 'ann@acme.test', level: 'editor' });
    const bot = await value<{ team: unknown[] }>('directory.team.set', {
      bot: 'sales',
      email: 'ann@acme.test',
      level: 'admin',
    });
    expect(bot.team).toEqual([{ email: 'ann@acme.test', level: 'admin' }]);
    expect(lastAudit().reason).toBe("changed ann@acme.test on Sales's team from editor to admin");
    await value('directory.bots.update', { id: 'sales', owner: 'ann@acme.test', name: 'Sales Desk' });
    expect(lastAudit().reason).toBe('changed name, owner of bot Sales Desk');
    await value('directory.team.remove', { bot: 'sales', email: 'ann@acme.test' });
    await value('directory.bots.delete', { id: 'sales' });
    expect(t.store.db.prepare("SELECT count(*) AS n FROM api_keys WHERE bot_id = 'sales'").get()).toEqual({ n: 0 });
  });
});

describe('directory: the user page', () => {
  it('lists accounts, bots, open sessions (and ends one) and recent audit events', async () => {
    const ann = findUserByEmail(t.store.db, 'ann@acme.test')!;
    insertAuthSession(t.store.db, {
      tokenHash: 'a1',
      userId: ann.id,
      accountId: 'acme',
      method: 'passthrough',
      createdAt: t.clock.t,
      expiresAt: t.clock.t + 60_000,
    });
    insertAuthSession(t.store.db, {
      tokenHash: 'a2',
      userId: ann.id,
      accountId: 'acme',
      method: 'password',
      createdAt: t.clock.t,
      expiresAt: t.clock.t - 1,
    });
    await value('directory.users.update', { email: 'ann@acme.test', name: 'Ann B. Lee' });
    const page = await value<{
      user: { name: string; hasPassword: boolean };
      bots: unknown[];
      sessions: Array<{ kind: string; id: number; accountName: string }>;
      audit: Array<{ kind: string }>;
    }>('directory.user.get', { email: 'ANN@acme.test' });
    expect(page.user).toMatchObject({ name: 'Ann B. Lee', hasPassword: true });
    expect(page.bots).toEqual([{ id: 'helpdesk', name: 'Helpdesk', account: 'acme', place: 'owner' }]);
    expect(page.sessions).toHaveLength(1);
    expect(page.sessions[0]).toMatchObject({ kind: 'password', accountName: 'Acme Corp' });
    expect(page.audit[0]!.kind).toBe('directory.user.update');
    await value('directory.user.endSession', { email: 'ann@acme.test', kind: 'password', id: page.sessions[0]!.id });
    expect((await value<{ sessions: unknown[] }>('directory.user.get', { email: 'ann@acme.test' })).sessions).toEqual(
      [],
    );
    expect(
      await call('directory.user.endSession', { email: 'ann@acme.test', kind: 'password', id: page.sessions[0]!.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await call('directory.user.get', { email: 'ghost@acme.test' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
