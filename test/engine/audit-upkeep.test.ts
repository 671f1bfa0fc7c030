import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers';
import { appendAudit } from '../../src/main/store/audit';
import { startAuditTextIndexer } from '../../src/main/engine/audit/text-indexer';
import { startCheckpointer } from '../../src/main/store/checkpointer';

let close: (() => void) | undefined;
afterEach(() => close?.());

const count = (db: import('better-sqlite3').Database, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe('audit upkeep in the background (no reader asking)', () => {
  it('moves every event out of the inbox and into the full-text index, working a backlog off batch by batch', async () => {
    const t = testContext();
    close = t.close;
    const { db } = t.store;
    for (let i = 0; i < 95; i++)
      appendAudit(db, { at: t.clock.t + i, kind: 'sso.token.issue', outcome: 'ok', reason: `event ${i}` });
    expect(count(db, 'SELECT count(*) AS n FROM audit_inbox')).toBe(95);
    const lines: string[] = [];
    // Batches of 10 every 5 ms, and a backlog pace of 1 ms: 95 events take ten runs, not one.
    const upkeep = startAuditTextIndexer(db, (l) => lines.push(l), {
      everyMs: 5,
      backlogMs: 1,
      idleMs: 50,
      moveBatch: 10,
      textEvery: 2,
      textBatch: 20,
    });
    try {
      await expect.poll(() => count(db, 'SELECT count(*) AS n FROM audit_inbox'), { timeout: 5_000 }).toBe(0);
      expect(count(db, 'SELECT count(*) AS n FROM audit_log')).toBe(95);
      await expect
        .poll(
          () =>
            count(db, 'SELECT (SELECT indexed_through FROM audit_fts_state) = (SELECT max(id) FROM audit_log) AS n'),
          { timeout: 5_000 },
        )
        .toBe(1);
      // An event after the backlog is gone is picked up too (the idle pace, then back to work).
      appendAudit(db, { at: t.clock.t + 100, kind: 'sso.token.issue', outcome: 'refused', reason: 'late event' });
      await expect.poll(() => count(db, 'SELECT count(*) AS n FROM audit_log'), { timeout: 5_000 }).toBe(96);
      expect(lines).toEqual([]);
    } finally {
      upkeep.stop();
    }
  });

  it('keeps up beside a checkpointer that syncs every millisecond: its runs step aside for the syncs, they are not starved', async () => {
    const t = testContext();
    close = t.close;
    const { db } = t.store;
    const ckpt = startCheckpointer(t.store, 1);
    for (let i = 0; i < 95; i++)
      appendAudit(db, { at: t.clock.t + i, kind: 'sso.token.issue', outcome: 'ok', reason: `event ${i}` });
    const upkeep = startAuditTextIndexer(db, () => {}, {
      everyMs: 5,
      backlogMs: 1,
      idleMs: 50,
      moveBatch: 10,
      textEvery: 2,
      textBatch: 20,
    });
    try {
      await expect.poll(() => count(db, 'SELECT count(*) AS n FROM audit_log'), { timeout: 5_000 }).toBe(95);
      expect(count(db, 'SELECT count(*) AS n FROM audit_inbox')).toBe(0);
    } finally {
      upkeep.stop();
      ckpt.stop();
    }
  });
});
