import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { seedDemoIfEmpty } from '../../src/main/engine/workspace/demo';
import { verifyPassword, sha256 } from '../../src/main/engine/crypto/hash';
import { findUserByEmail } from '../../src/main/store/users';
import { tableCounts } from '../../src/main/store/db';
import { listDemoCredentials } from '../../src/main/store/demo-credentials';
import { getOidc } from '../../src/main/store/sso-config';
import { DeskError } from '../../src/shared/errors';
import { testContext } from '../helpers';

const PASSWORD = 'correct horse battery staple';
const ACCOUNT_KEY = 'acc_live_0123456789abcdefWXYZ';
const BOT_SECRET = 'sec_live_abcdef0123456789QRST';

const workspace = () => ({
  format: 'sso-desk/workspace@1',
  accounts: [
    {
      id: 'acme',
      name: 'Acme Corp',
      plan: 'enterprise',
      packages: ['sso-login', 'enterprise-toolkit'],
      embeddable: false,
      apiKey: ACCOUNT_KEY,
      oidc: {
        enabled: true,
        preset: 'generic',
        issuer: 'https://idp.example/',
        clientId: 'desk',
        clientSecret: 'client-secret-value-42',
        scopes: ['openid', 'email'],
      },
    },
  ],
  users: [
    { email: 'Ann@Acme.test', name: 'Ann Lee', externalId: 'E-1001', password: PASSWORD },
    { email: 'bob@acme.test', name: 'Bob Stone' },
  ],
  memberships: [
    { account: 'acme', email: 'ann@acme.test', role: 'owner' },
    { account: 'acme', email: 'bob@acme.test', role: 'member' },
  ],
  bots: [
    {
      id: 'helpdesk',
      account: 'acme',
      name: 'Helpdesk',
      owner: 'ann@acme.test',
      apiKey: 'bot_live_0123456789abcdefKLMN',
      apiSecret: BOT_SECRET,
      team: [{ email: 'bob@acme.test', level: 'operator' }],
    },
  ],
});

let t: ReturnType<typeof testContext>;
beforeEach(() => (t = testContext()));
afterEach(() => t.close());

const run = (value: unknown, replace = false) =>
  importWorkspace(t.store.db, t.ctx.platform.secrets, JSON.stringify(value), { replace });
const errorOf = async (p: Promise<unknown>): Promise<DeskError> => {
  try {
    await p;
  } catch (e) {
    return e as DeskError;
  }
  throw new Error('expected an error');
};

describe('workspace import', () => {
  it('loads accounts, users, memberships, bots and teams', async () => {
    const summary = await run(workspace());
    expect(summary).toEqual({ accounts: 1, users: 2, memberships: 2, bots: 1, replaced: false });
    const counts = tableCounts(t.store.db);
    expect(counts).toMatchObject({ accounts: 1, users: 2, memberships: 2, bots: 1, bot_team: 1, api_keys: 3 });
    // Emails compare case-insensitively and are stored normalized.
    expect(findUserByEmail(t.store.db, 'ANN@acme.test')?.email).toBe('ann@acme.test');
  });

  it('keeps nothing secret in clear: scrypt for passwords, SHA-256 for keys, encryption for client secrets', async () => {
    await run(workspace());
    const ann = findUserByEmail(t.store.db, 'ann@acme.test')!;
    expect(ann.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, ann.passwordHash!)).toBe(true);
    expect(await verifyPassword('wrong', ann.passwordHash!)).toBe(false);
    const hashes = t.store.db.prepare('SELECT hash, last4 FROM api_keys').all() as Array<{
      hash: string;
      last4: string;
    }>;
    expect(hashes.map((h) => h.hash)).toContain(sha256(ACCOUNT_KEY));
    expect(hashes.map((h) => h.last4)).toContain('WXYZ');
    const oidc = getOidc(t.store.db, 'acme')!;
    expect(oidc.clientSecretEnc).toMatch(/^v1:/);
    expect(t.ctx.platform.secrets.decrypt(oidc.clientSecretEnc!)).toBe('client-secret-value-42');
    t.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(t.store.file);
    for (const secret of [PASSWORD, ACCOUNT_KEY, BOT_SECRET, 'client-secret-value-42'])
      expect(file.includes(Buffer.from(secret))).toBe(false);
  });

  it('names the path of a bad field', async () => {
    const ws = workspace();
    (ws.bots[0]!.team as Array<{ email: string; level: string }>).push({ email: 'ann@acme.test', level: 'boss' });
    const e = await errorOf(run(ws));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe('bots[0].team[1].level: expected one of admin, editor, operator, viewer');
    expect(e.field).toBe('bots[0].team[1].level');
  });

  it('refuses invalid JSON, a wrong format and unknown references, writing nothing', async () => {
    expect((await errorOf(importWorkspace(t.store.db, t.ctx.platform.secrets, '{"format":'))).code).toBe(
      'invalid_json',
    );
    expect((await errorOf(run({ ...workspace(), format: 'other@2' }))).message).toMatch(/^format: /);
    const ws = workspace();
    ws.memberships.push({ account: 'acme', email: 'ghost@acme.test', role: 'member' });
    expect((await errorOf(run(ws))).message).toBe('memberships[2].email: unknown user "ghost@acme.test"');
    expect(tableCounts(t.store.db)).toMatchObject({ accounts: 0, users: 0, bots: 0, api_keys: 0 });
  });

  it('is all or nothing when the database refuses a row halfway', async () => {
    await run({
      format: 'sso-desk/workspace@1',
      accounts: [{ id: 'other', name: 'Other', plan: 'pro', apiKey: ACCOUNT_KEY }],
    });
    const before = tableCounts(t.store.db);
    // Same account key as an existing account: the UNIQUE index refuses it after accounts and users were inserted.
    const e = await errorOf(run(workspace()));
    expect(e.code).toBe('conflict');
    expect(tableCounts(t.store.db)).toEqual(before);
  });

  it('refuses the same file twice and changes nothing, unless asked to replace', async () => {
    await run(workspace());
    const before = tableCounts(t.store.db);
    const e = await errorOf(run(workspace()));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain('accounts[0].id: account "acme" already exists');
    expect(tableCounts(t.store.db)).toEqual(before);

    const changed = workspace();
    changed.accounts[0]!.name = 'Acme Corporation';
    changed.users[1]!.name = 'Robert Stone';
    const summary = await run(changed, true);
    expect(summary.replaced).toBe(true);
    expect(tableCounts(t.store.db)).toMatchObject({ accounts: 1, users: 2, memberships: 2, bots: 1, api_keys: 3 });
    expect((t.store.db.prepare("SELECT name FROM accounts WHERE id='acme'").get() as { name: string }).name).toBe(
      'Acme Corporation',
    );
    expect(findUserByEmail(t.store.db, 'bob@acme.test')?.name).toBe('Robert Stone');
  });
});

describe('demo world', () => {
  it('seeds two accounts, six users (one in both), two bots with teams, with per-install keys', async () => {
    expect(await seedDemoIfEmpty(t.store.db, t.ctx.platform.secrets)).toBe(true);
    const counts = tableCounts(t.store.db);
    expect(counts).toMatchObject({ accounts: 2, users: 6, bots: 2 });
    expect(counts.bot_team).toBeGreaterThan(0);
    const plans = t.store.db.prepare('SELECT plan FROM accounts ORDER BY id').all();
    expect(plans).toEqual([{ plan: 'enterprise' }, { plan: 'pro' }]);
    const inBoth = t.store.db.prepare('SELECT user_id FROM memberships GROUP BY user_id HAVING count(*) = 2').all();
    expect(inBoth).toHaveLength(1);
    const creds = listDemoCredentials(t.store.db).map((c) => ({
      kind: c.kind,
      value: t.ctx.platform.secrets.decrypt(c.valueEnc),
    }));
    expect(creds.filter((c) => c.kind === 'AccountAPIKey')).toHaveLength(2);
    // The stored key is the hash of the shown one.
    const accountKey = creds.find((c) => c.kind === 'AccountAPIKey')!.value;
    expect(t.store.db.prepare('SELECT 1 FROM api_keys WHERE hash = ?').get(sha256(accountKey))).toBeTruthy();
    // A second seed does nothing.
    expect(await seedDemoIfEmpty(t.store.db, t.ctx.platform.secrets)).toBe(false);
  });

  it('generates different keys per install', async () => {
    const other = testContext();
    try {
      await seedDemoIfEmpty(t.store.db, t.ctx.platform.secrets);
      await seedDemoIfEmpty(other.store.db, other.ctx.platform.secrets);
      const hashes = (db: typeof t.store.db) =>
        (db.prepare('SELECT hash FROM api_keys ORDER BY id').all() as Array<{ hash: string }>).map((r) => r.hash);
      const a = hashes(t.store.db);
      const b = new Set(hashes(other.store.db));
      expect(a.some((h) => b.has(h))).toBe(false);
    } finally {
      other.close();
    }
  });
});

describe('password hashing on import', () => {
  it('gives equal passwords in a workspace file distinct salted hashes', async () => {
    const ws = workspace();
    ws.users[1] = { ...ws.users[1]!, password: PASSWORD } as (typeof ws.users)[number];
    await importWorkspace(t.store.db, t.ctx.platform.secrets, JSON.stringify(ws));
    const ann = findUserByEmail(t.store.db, 'ann@acme.test')!.passwordHash!;
    const bob = findUserByEmail(t.store.db, 'bob@acme.test')!.passwordHash!;
    expect(ann).not.toBe(bob);
    expect(await verifyPassword(PASSWORD, bob)).toBe(true);
  });

  it('hashes the demo world’s one shared password once (a fresh start pays one scrypt, not six)', async () => {
    await seedDemoIfEmpty(t.store.db, t.ctx.platform.secrets);
    const hashes = t.store.db.prepare('SELECT DISTINCT password_hash FROM users').pluck().all() as string[];
    expect(hashes).toHaveLength(1);
  });
});
