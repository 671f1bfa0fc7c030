import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers';
import { pruneExpired, purgeAudit, startMaintenance } from '../../src/main/engine/maintenance/maintenance';
import { countRows } from '../../src/main/store/prune';
import { insertToken, insertSession } from '../../src/main/store/sso-tokens';
import { appendAudit } from '../../src/main/store/audit';

const MIN = 60_000;
let close: (() => void) | undefined;
afterEach(() => close?.());

function world() {
  const t = testContext();
  close = t.close;
  const { db } = t.store;
  db.prepare(
    "INSERT INTO accounts (id, name, plan, packages, embeddable, created_at) VALUES ('acme', 'Acme', 'enterprise', '[]', 0, 0)",
  ).run();
  db.prepare("INSERT INTO users (id, email, name, created_at) VALUES (1, 'ann@acme.test', 'Ann', 0)").run();
  db.prepare(
    "INSERT INTO bots (id, account_id, name, owner_user_id, created_at) VALUES ('helpdesk', 'acme', 'Helpdesk', 1, 0)",
  ).run();
  return t;
}

let seq = 0;
const token = (db: import('better-sqlite3').Database, at: number) =>
  insertToken(db, {
    hash: `h${seq++}`,
    scope: 'sso',
    accountId: 'acme',
    botId: 'helpdesk',
    userId: 1,
    issuedAt: at,
    expiresAt: at + 60 * MIN,
  });

describe('maintenance: expired rows', () => {
  it('deletes expired tokens (and their deep-link sessions) in small batches and keeps the live ones', async () => {
    const { store, clock, ctx } = world();
    const { db } = store;
    const t0 = clock.t;
    for (let i = 0; i < 5000; i++) token(db, t0);
    const old = token(db, t0);
    insertSession(db, { hash: 'sess-old', tokenId: old, createdAt: t0, expiresAt: t0 + 60 * MIN });
    clock.t = t0 + 61 * MIN;
    const live: number[] = [];
    for (let i = 0; i < 300; i++) live.push(token(db, clock.t));
    insertSession(db, { hash: 'sess-live', tokenId: live[0]!, createdAt: clock.t, expiresAt: clock.t + 60 * MIN });
    appendAudit(db, { at: t0, kind: 'sso.token.issue', outcome: 'ok' });

    const report = await pruneExpired(db, ctx.clock.now(), undefined, 1000);

    expect(countRows(db, 'sso_tokens')).toBe(300);
    expect(report.deleted.sso_tokens).toBe(5001);
    // Batches are bounded: 5001 dead rows and the first live one take six batches of 1000, one at a time.
    expect(report.batches.sso_tokens).toBe(6);
    expect(db.prepare('SELECT hash FROM sso_sessions').all()).toEqual([{ hash: 'sess-live' }]);
    // The audit log keeps the history.
    expect(countRows(db, 'audit_events')).toBe(1);
  });

  it('keeps a token one millisecond before it expires and removes it at expiry', async () => {
    const { store, clock, ctx } = world();
    const t0 = clock.t;
    token(store.db, t0);
    clock.t = t0 + 60 * MIN - 1;
    await pruneExpired(store.db, ctx.clock.now());
    expect(countRows(store.db, 'sso_tokens')).toBe(1);
    clock.t = t0 + 60 * MIN;
    await pruneExpired(store.db, ctx.clock.now());
    expect(countRows(store.db, 'sso_tokens')).toBe(0);
  });

  it('deletes only the dead rows of a batch whose live and dead rows interleave, and nothing from the first row too young on', async () => {
    const { store, clock, ctx } = world();
    const { db } = store;
    const t0 = clock.t;
    // Resets (no shortest lifetime): used, live, expired, live, used: one batch, two live rows inside it.
    const r = db.prepare(
      'INSERT INTO password_resets (token_hash, user_id, account_id, created_at, expires_at, used_at) VALUES (?, 1, ?, ?, ?, ?)',
    );
    r.run('used-1', 'acme', t0 - 5 * MIN, t0 + 25 * MIN, t0 - MIN);
    r.run('live-1', 'acme', t0 - 4 * MIN, t0 + 26 * MIN, null);
    r.run('expired', 'acme', t0 - 40 * MIN, t0 - 10 * MIN, null);
    r.run('live-2', 'acme', t0 - 2 * MIN, t0 + 28 * MIN, null);
    r.run('used-2', 'acme', t0 - MIN, t0 + 29 * MIN, t0 - 1);
    // Tokens live an hour, so the pass over them stops at the first one issued less than an hour ago.
    // A row after it whose expiry is (oddly) past already stays until a later pass reaches it.
    const old = token(db, t0 - 2 * 60 * MIN);
    const young = token(db, t0 - 10 * MIN);
    const odd = insertToken(db, {
      hash: `h${seq++}`,
      scope: 'sso',
      accountId: 'acme',
      botId: 'helpdesk',
      userId: 1,
      issuedAt: t0 - 3 * 60 * MIN,
      expiresAt: t0 - 2 * 60 * MIN,
    });

    const report = await pruneExpired(db, ctx.clock.now());
    expect(db.prepare('SELECT token_hash FROM password_resets ORDER BY rowid').pluck().all()).toEqual([
      'live-1',
      'live-2',
    ]);
    expect(report.deleted.password_resets).toBe(3);
    expect(db.prepare('SELECT id FROM sso_tokens ORDER BY id').pluck().all()).toEqual([young, odd]);
    expect(old).toBeLessThan(young);
    // Once the young token has expired, the pass walks past it and takes both.
    clock.t = t0 + 60 * MIN;
    await pruneExpired(db, ctx.clock.now());
    expect(countRows(db, 'sso_tokens')).toBe(0);
  });

  it('deletes expired or revoked login sessions, used or expired resets, ended OIDC sessions and old outbox mail', async () => {
    const { store, clock, ctx } = world();
    const { db } = store;
    const t0 = clock.t;
    const s = db.prepare(
      'INSERT INTO auth_sessions (token_hash, user_id, account_id, method, created_at, expires_at, revoked_at) VALUES (?, 1, ?, ?, ?, ?, ?)',
    );
    s.run('a-expired', 'acme', 'password', t0 - 120 * MIN, t0 - MIN, null);
    s.run('a-live', 'acme', 'password', t0, t0 + 60 * MIN, null);
    const r = db.prepare(
      'INSERT INTO password_resets (token_hash, user_id, account_id, created_at, expires_at, used_at) VALUES (?, 1, ?, ?, ?, ?)',
    );
    r.run('r-used', 'acme', t0 - MIN, t0 + 29 * MIN, t0 - 1);
    r.run('r-expired', 'acme', t0 - 40 * MIN, t0 - 10 * MIN, null);
    r.run('r-live', 'acme', t0, t0 + 30 * MIN, null);
    const o = db.prepare(
      'INSERT INTO oidc_sessions (id_hash, user_id, account_id, issuer, created_at, expires_at, ended_at) VALUES (?, 1, ?, ?, ?, ?, ?)',
    );
    o.run('o-ended', 'acme', 'http://idp', t0 - MIN, t0 + 60 * MIN, t0 - 1);
    o.run('o-live', 'acme', 'http://idp', t0, t0 + 60 * MIN, null);
    const m = db.prepare(
      "INSERT INTO auth_outbox (at, to_email, subject, text_enc) VALUES (?, 'ann@acme.test', 'Reset', 'x')",
    );
    m.run(t0 - 25 * 60 * MIN);
    m.run(t0 - MIN);

    await pruneExpired(db, ctx.clock.now());
    expect(db.prepare('SELECT token_hash FROM auth_sessions').pluck().all()).toEqual(['a-live']);
    expect(db.prepare('SELECT token_hash FROM password_resets').pluck().all()).toEqual(['r-live']);
    expect(db.prepare('SELECT id_hash FROM oidc_sessions').pluck().all()).toEqual(['o-live']);
    expect(countRows(db, 'auth_outbox')).toBe(1);
  });

  it('applies audit retention as it starts, in batches, and prunes on request through the same pass', async () => {
    const { store, clock, ctx } = world();
    const { db } = store;
    const DAY = 24 * 60 * MIN;
    for (let i = 0; i < 5; i++) appendAudit(db, { at: clock.t - 400 * DAY, kind: 'sso.token.issue', outcome: 'ok' });
    appendAudit(db, { at: clock.t - DAY, kind: 'sso.token.issue', outcome: 'ok' });
    expect(await purgeAudit(db, ctx.clock, 2)).toBe(5);
    expect(countRows(db, 'audit_events')).toBe(1);

    token(db, clock.t);
    clock.t += 61 * MIN;
    const m = startMaintenance(db, ctx.clock, () => {});
    try {
      const report = await m.prune();
      expect(report.deleted.sso_tokens).toBe(1);
      expect(countRows(db, 'sso_tokens')).toBe(0);
    } finally {
      m.stop();
    }
  });
});
