import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../helpers';
import { appendAudit } from '../../src/main/store/audit';
import { auditUpkeepRun, startMaintenance, UPKEEP } from '../../src/main/engine/maintenance/maintenance';

let close: (() => void) | undefined;
afterEach(() => close?.());

const count = (db: import('better-sqlite3').Database, sql: string) => (db.prepare(sql).get() as { n: number }).n;
const inbox = (db: import('better-sqlite3').Database) => count(db, 'SELECT count(*) AS n FROM audit_inbox');
const indexedAll = (db: import('better-sqlite3').Database) =>
  count(db, 'SELECT (SELECT indexed_through FROM audit_fts_state) = (SELECT max(id) FROM audit_log) AS n') === 1;

describe('audit upkeep in the background (no reader asking)', () => {
  it('moves the inbox into the log a batch a run, at the backlog pace while batches are full, then idles', () => {
    const t = testContext();
    close = t.close;
    const { db } = t.store;
    for (let i = 0; i < 95; i++)
      appendAudit(db, { at: t.clock.t + i, kind: 'sso.token.issue', outcome: 'ok', reason: `event ${i}` });
    const pace = { ...UPKEEP, moveBatch: 10, textEvery: 2, textBatch: 20 };
    const delays: number[] = [];
    let run = 0;
    while (inbox(db) > 0) delays.push(auditUpkeepRun(db, ++run, pace));
    // 95 events in batches of 10: nine full runs (backlog pace) and a last one of five.
    expect(run).toBe(10);
    expect(delays.slice(0, 9).every((d) => d === pace.backlogMs)).toBe(true);
    expect(count(db, 'SELECT count(*) AS n FROM audit_log')).toBe(95);
    // Runs with nothing to move index the rest; then the upkeep idles.
    while (!indexedAll(db)) auditUpkeepRun(db, ++run, pace);
    expect(auditUpkeepRun(db, ++run, pace)).toBe(pace.idleMs);
  });

  it('keeps working while the app runs: an event appended later reaches the log and the full-text index', async () => {
    const t = testContext();
    close = t.close;
    const { db } = t.store;
    const lines: string[] = [];
    const m = startMaintenance(db, t.ctx.clock, (l) => lines.push(l), {
      upkeep: { ...UPKEEP, everyMs: 5, backlogMs: 1, idleMs: 5 },
    });
    try {
      appendAudit(db, { at: t.clock.t, kind: 'sso.token.issue', outcome: 'refused', reason: 'late event' });
      await expect.poll(() => inbox(db) === 0 && indexedAll(db), { timeout: 5_000 }).toBe(true);
      expect(count(db, 'SELECT count(*) AS n FROM audit_log')).toBe(1);
      expect(lines).toEqual([]);
    } finally {
      m.stop();
    }
  });
});
