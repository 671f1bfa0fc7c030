import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers';
import { BATCH_BUDGET_MS, startPruner } from '../../src/main/engine/maintenance/pruner';
import { PRUNE_TABLES, countRows } from '../../src/main/store/prune';
import { insertToken, insertSession } from '../../src/main/store/sso-tokens';
import { appendAudit } from '../../src/main/store/audit';
import { startCheckpointer } from '../../src/main/store/checkpointer';

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

describe('background pruning of dead rows', () => {
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

    const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000);
    const report = await pruner.kick();
    pruner.stop();

    expect(countRows(db, 'sso_tokens')).toBe(300);
    expect(report.deleted.sso_tokens).toBe(5001);
    // Batches are bounded: 5001 rows cannot go in one (at most 4096 rows a batch).
    expect(report.batches).toBeGreaterThan(2);
    expect(db.prepare('SELECT hash FROM sso_sessions').all()).toEqual([{ hash: 'sess-live' }]);
    // The audit log keeps the history.
    expect(countRows(db, 'audit_events')).toBe(1);
  });

  it('finishes its pass beside a checkpointer that syncs every millisecond (its batches step aside, they are not starved)', async () => {
    const { store, clock, ctx } = world();
    const { db } = store;
    const ckpt = startCheckpointer(store, 1);
    const t0 = clock.t;
    for (let i = 0; i < 3000; i++) token(db, t0);
    clock.t = t0 + 61 * MIN;
    for (let i = 0; i < 10; i++) token(db, clock.t);
    const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000);
    const report = await pruner.kick();
    pruner.stop();
    ckpt.stop();
    expect(report.deleted.sso_tokens).toBe(3000);
    expect(countRows(db, 'sso_tokens')).toBe(10);
  });

  it('keeps a token one millisecond before it expires and removes it at expiry', async () => {
    const { store, clock, ctx } = world();
    const t0 = clock.t;
    token(store.db, t0);
    const pruner = startPruner(store.db, ctx.clock, () => {}, 3_600_000);
    clock.t = t0 + 60 * MIN - 1;
    await pruner.kick();
    expect(countRows(store.db, 'sso_tokens')).toBe(1);
    clock.t = t0 + 60 * MIN;
    await pruner.kick();
    expect(countRows(store.db, 'sso_tokens')).toBe(0);
    pruner.stop();
  });

  it('starts each table small after passes over empty tables, and sums every pass for drainStats', async () => {
    const { store, clock, ctx } = world();
    const { db } = store;
    const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000);
    // Passes over empty tables: quick batches that looked at nothing must not grow anyone's batch size.
    for (let i = 0; i < 4; i++) await pruner.kick();
    expect(pruner.drainStats()).toMatchObject({ largestBatchRows: 0, deleted: { sso_tokens: 0 } });
    const t0 = clock.t;
    for (let i = 0; i < 1000; i++) token(db, t0);
    clock.t = t0 + 61 * MIN;
    for (let i = 0; i < 300; i++) token(db, clock.t);
    await pruner.kick();
    const stats = pruner.drainStats();
    pruner.stop();
    expect(stats.deleted.sso_tokens).toBe(1000);
    // Grown from 64 by doubling at most (64 + 128 + 256 + 512 covers 960 rows): never the 1,300 rows at once.
    expect(stats.largestBatchRows).toBeLessThanOrEqual(1024);
    expect(stats.largestBatchRows).toBeGreaterThan(0);
    expect(pruner.drainStats()).toMatchObject({ batches: 0, deleted: {} });
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

    const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000);
    const report = await pruner.kick();
    expect(db.prepare('SELECT token_hash FROM password_resets ORDER BY rowid').pluck().all()).toEqual([
      'live-1',
      'live-2',
    ]);
    expect(report.deleted.password_resets).toBe(3);
    expect(db.prepare('SELECT id FROM sso_tokens ORDER BY id').pluck().all()).toEqual([young, odd]);
    expect(old).toBeLessThan(young);
    // Once the young token has expired, the pass walks past it and takes both.
    clock.t = t0 + 60 * MIN;
    await pruner.kick();
    pruner.stop();
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

    const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000);
    await pruner.kick();
    pruner.stop();
    expect(db.prepare('SELECT token_hash FROM auth_sessions').pluck().all()).toEqual(['a-live']);
    expect(db.prepare('SELECT token_hash FROM password_resets').pluck().all()).toEqual(['r-live']);
    expect(db.prepare('SELECT id_hash FROM oidc_sessions').pluck().all()).toEqual(['o-live']);
    expect(countRows(db, 'auth_outbox')).toBe(1);
  });

  describe('batch sizes, on a clock the test controls', () => {
    // Each batch "takes" `ms`: the probe's clock moves that much between a batch's start and its end.
    const taking = (ms: number) => {
      let t = 0;
      let call = 0;
      return { now: () => (call++ % 2 === 0 ? t : (t += ms)) };
    };
    const tokensOnly = PRUNE_TABLES.filter((t) => t.table === 'sso_tokens');

    it('grows a quick batch only when it deleted as many rows as it looked at', async () => {
      const { store, clock, ctx } = world();
      const { db } = store;
      const t0 = clock.t;
      // 1,000 rows older than an hour that are not dead (their expiry is far off): quick batches of live rows.
      for (let i = 0; i < 1000; i++)
        insertToken(db, {
          hash: `h${seq++}`,
          scope: 'sso',
          accountId: 'acme',
          botId: 'helpdesk',
          userId: 1,
          issuedAt: t0,
          expiresAt: t0 + 100 * 60 * MIN,
        });
      clock.t = t0 + 61 * MIN;
      const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000, tokensOnly, taking(0.05));
      const live = await pruner.kick();
      expect(live).toMatchObject({ largestBatchRows: 64, batches: 16, deleted: { sso_tokens: 0 } });
      // The same quickness over dead rows: 64, 128, 256, 512 rows.
      clock.t = t0 + 101 * 60 * MIN;
      const dead = await pruner.kick();
      pruner.stop();
      expect(dead).toMatchObject({ largestBatchRows: 512, deleted: { sso_tokens: 1000 } });
      expect(countRows(db, 'sso_tokens')).toBe(0);
    });

    it('halves a batch that took over a quarter of the budget, down to 16 rows, and keeps a batch between an eighth and a quarter', async () => {
      const { store, clock, ctx } = world();
      const { db } = store;
      const t0 = clock.t;
      for (let i = 0; i < 1000; i++) token(db, t0);
      clock.t = t0 + 61 * MIN;
      const slow = startPruner(db, ctx.clock, () => {}, 3_600_000, tokensOnly, taking(BATCH_BUDGET_MS * 0.3));
      const report = await slow.kick();
      slow.stop();
      // 64, 32, then 16 at a time: 1 + 1 + ceil(904 / 16) = 59 batches, none over the budget itself.
      expect(report).toMatchObject({ batches: 59, largestBatchRows: 64, overBudget: 0, deleted: { sso_tokens: 1000 } });

      for (let i = 0; i < 1000; i++) token(db, clock.t);
      clock.t += 61 * MIN;
      const steady = startPruner(db, ctx.clock, () => {}, 3_600_000, tokensOnly, taking(BATCH_BUDGET_MS * 0.2));
      const kept = await steady.kick();
      steady.stop();
      expect(kept).toMatchObject({ batches: 16, largestBatchRows: 64, deleted: { sso_tokens: 1000 } });
    });

    it('records a batch over the budget with the context switches the probe counted around it', async () => {
      const { store, clock, ctx } = world();
      const { db } = store;
      for (let i = 0; i < 100; i++) token(db, clock.t);
      clock.t += 61 * MIN;
      let voluntary = 0;
      const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000, tokensOnly, {
        ...taking(BATCH_BUDGET_MS * 2),
        switches: () => ({ voluntary: (voluntary += 2), involuntary: 7 }),
      });
      const report = await pruner.kick();
      pruner.stop();
      expect(report.overBudget).toBe(report.batches);
      expect(report.slowBatches[0]).toMatchObject({
        ms: BATCH_BUDGET_MS * 2,
        table: 'sso_tokens',
        rows: 64,
        switches: { voluntary: 2, involuntary: 0 },
      });
      expect(report.slowBatches[0]!.switches).not.toHaveProperty('runQueueMs');
    });

    it("records how long a slow batch's thread waited for a core, when the probe can tell", async () => {
      const { store, clock, ctx } = world();
      const { db } = store;
      for (let i = 0; i < 100; i++) token(db, clock.t);
      clock.t += 61 * MIN;
      let waited = 10;
      const pruner = startPruner(db, ctx.clock, () => {}, 3_600_000, tokensOnly, {
        ...taking(BATCH_BUDGET_MS * 3),
        switches: () => ({ voluntary: 0, involuntary: 1, runQueueMs: (waited += 1.25) }),
      });
      const report = await pruner.kick();
      pruner.stop();
      expect(report.slowBatches[0]).toMatchObject({
        ms: BATCH_BUDGET_MS * 3,
        switches: { voluntary: 0, involuntary: 0, runQueueMs: 1.25 },
      });
    });
  });
});
