import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import {
  appendAudit,
  queryAudit,
  auditFacets,
  ftsQuery,
  flushAuditInbox,
  getAuditEvent,
  auditEventsOfRun,
} from '../../src/main/store/audit';
import { openStore } from '../../src/main/store/db';
import { csvField } from '../../src/main/engine/audit/csv';
import { exportAuditCsv } from '../../src/main/engine/audit/export';
import { setRetentionDays, getRetention } from '../../src/main/engine/audit/retention';
import { purgeAudit } from '../../src/main/engine/maintenance/maintenance';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { testContext } from '../helpers';

let t: ReturnType<typeof testContext>;
beforeEach(() => (t = testContext()));
afterEach(() => t.close());

const DAY = 86_400_000;

/** 300 events over 300 minutes, across two accounts, three methods and two outcomes. */
function fill() {
  const start = t.clock.t - 300 * 60_000;
  const insert = t.store.db.transaction(() => {
    for (let i = 0; i < 300; i++) {
      appendAudit(t.store.db, {
        at: start + i * 60_000,
        kind: i % 10 === 0 ? 'settings.change' : 'login',
        accountId: i % 2 ? 'acme' : 'globex',
        email: i % 3 === 0 ? 'ann@acme.test' : `user${i}@globex.test`,
        method: ['password', 'passthrough', 'sso'][i % 3]!,
        outcome: i % 5 === 0 ? 'failed' : 'ok',
        reason: i % 5 === 0 ? 'external service answered 401 Unauthorized' : 'authenticated',
        durationMs: i,
      });
    }
  });
  insert();
  return start;
}

describe('audit query', () => {
  it('pages newest first with keyset cursors that neither skip nor repeat', () => {
    fill();
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = queryAudit(t.store.db, {}, { limit: 70, before });
      seen.push(...page.map((e) => e.id));
      if (page.length < 70) break;
      before = page[page.length - 1]!.id;
    }
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it('filters by account, method, outcome, time range and text, together', () => {
    const start = fill();
    const all = queryAudit(t.store.db, {}, { limit: 1000 });
    const expected = all.filter(
      (e) =>
        e.accountId === 'acme' &&
        e.method === 'password' &&
        e.outcome === 'failed' &&
        e.at >= start + 60 * 60_000 &&
        e.at < start + 240 * 60_000,
    );
    const got = queryAudit(
      t.store.db,
      { accountId: 'acme', method: 'password', outcome: 'failed', from: start + 60 * 60_000, to: start + 240 * 60_000 },
      { limit: 1000 },
    );
    expect(got.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(got.length).toBeGreaterThan(0);

    const text = queryAudit(t.store.db, { text: 'ann@acme' }, { limit: 1000 });
    expect(text.length).toBe(100);
    expect(text.every((e) => e.email === 'ann@acme.test')).toBe(true);
    const words = queryAudit(t.store.db, { text: '401 unauth', accountId: 'globex' }, { limit: 1000 });
    expect(words.every((e) => e.reason?.includes('401') && e.accountId === 'globex')).toBe(true);
    expect(words.length).toBe(all.filter((e) => e.reason?.includes('401') && e.accountId === 'globex').length);
    // Keyset paging works under a text filter too.
    const first = queryAudit(t.store.db, { text: 'ann' }, { limit: 30 });
    const second = queryAudit(t.store.db, { text: 'ann' }, { limit: 30, before: first[29]!.id });
    expect(second[0]!.id).toBeLessThan(first[29]!.id);
  });

  it('treats search text as words, never as FTS syntax', () => {
    fill();
    expect(ftsQuery('ann" OR "x')).toBe('"ann" "or" "x"*');
    expect(() => queryAudit(t.store.db, { text: 'NEAR( * " :' }, { limit: 5 })).not.toThrow();
    expect(ftsQuery('  @@  ')).toBeNull();
  });

  it('lists the values to filter by', () => {
    fill();
    expect(auditFacets(t.store.db)).toEqual({
      methods: ['passthrough', 'password', 'sso'],
      outcomes: ['failed', 'ok'],
      accounts: ['acme', 'globex'],
      actors: [],
    });
  });
});

describe('audit export', () => {
  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(null)).toBe('');
  });

  it('writes exactly the filtered set, header first, to a private file', async () => {
    fill();
    const { path, rows } = await exportAuditCsv(t.store.db, t.dir, { accountId: 'acme', outcome: 'failed' });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,time,kind,account,email,actor,method,outcome,reason,duration_ms');
    expect(rows).toBe(lines.length - 1);
    expect(rows).toBe(queryAudit(t.store.db, { accountId: 'acme', outcome: 'failed' }, { limit: 1000 }).length);
    expect(lines.slice(1).every((l) => l.split(',')[3] === 'acme' && l.split(',')[7] === 'failed')).toBe(true);
  });

  it('is offered through the platform as a download by the audit.export channel', async () => {
    fill();
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    const r = await dispatch('audit.export', { filter: { method: 'sso' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as { rows: number; delivery: { kind: string; url: string; name: string } };
    expect(v.rows).toBe(100);
    expect(v.delivery.kind).toBe('download');
    expect(v.delivery.name).toMatch(/^sso-desk-audit-.*\.csv$/);
    expect(existsSync(v.delivery.url.replace('file://', ''))).toBe(true);
  });
});

describe('audit retention', () => {
  it('deletes only events older than the window, in batches, and records the run', async () => {
    const insert = t.store.db.transaction(() => {
      for (let i = 0; i < 5000; i++)
        appendAudit(t.store.db, { at: t.clock.t - 40 * DAY + i, kind: 'login', outcome: 'ok' });
      for (let i = 0; i < 10; i++)
        appendAudit(t.store.db, { at: t.clock.t - DAY, kind: 'login', outcome: 'ok', email: 'recent@acme.test' });
    });
    insert();
    setRetentionDays(t.store.db, 30);
    const deleted = await purgeAudit(t.store.db, t.ctx.clock);
    expect(deleted).toBe(5000);
    const left = queryAudit(t.store.db, {}, { limit: 100 });
    expect(left).toHaveLength(10);
    expect(getRetention(t.store.db)).toMatchObject({ days: 30, lastRunAt: t.clock.t, lastDeleted: 5000 });
    // The full-text index follows the deletes.
    expect(queryAudit(t.store.db, { text: 'login' }, { limit: 10_000 })).toHaveLength(10);
  });

  it('keeps everything when retention is off, and records who changed it', async () => {
    appendAudit(t.store.db, { at: t.clock.t - 4000 * DAY, kind: 'login', outcome: 'ok' });
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    const r = await dispatch('audit.retention.set', { days: null });
    expect(r).toMatchObject({ ok: true, value: { days: null } });
    expect(await purgeAudit(t.store.db, t.ctx.clock)).toBe(0);
    const change = queryAudit(t.store.db, { text: 'retention' }, { limit: 5 });
    expect(change[0]).toMatchObject({
      kind: 'settings.change',
      actor: 'console',
      reason: 'audit retention: 365 → forever days',
    });
    expect(await dispatch('audit.retention.set', { days: 0 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'days' },
    });
  });
});

describe('audit inbox', () => {
  const count = (table: string) => (t.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('lands events unindexed, moves them in batches in id order, and no reader ever misses one', () => {
    fill();
    // Appended events wait in the inbox (no secondary index is written on the request's commit)…
    expect(count('audit_inbox')).toBe(300);
    expect(count('audit_log')).toBe(0);
    // …the background mover takes them a batch at a time, oldest first…
    expect(flushAuditInbox(t.store.db, 120)).toBe(120);
    expect(count('audit_inbox')).toBe(180);
    const moved = t.store.db.prepare('SELECT id, at FROM audit_log ORDER BY id').all() as Array<{
      id: number;
      at: number;
    }>;
    expect(moved.map((r) => r.at)).toEqual([...moved.map((r) => r.at)].sort((a, b) => a - b));
    // …and every reader moves what is pending first: a page, one event, a run's events, the facets.
    const id = appendAudit(t.store.db, {
      at: t.clock.t,
      kind: 'simulator.run',
      outcome: 'ok',
      runId: 'run-1',
      email: 'new@acme.test',
    });
    expect(getAuditEvent(t.store.db, id)?.email).toBe('new@acme.test');
    expect(auditEventsOfRun(t.store.db, 'run-1')).toHaveLength(1);
    expect(queryAudit(t.store.db, {}, { limit: 1 })[0]?.id).toBe(id);
    expect(count('audit_inbox')).toBe(0);
    expect(count('audit_log')).toBe(301);
    // The view shows the whole log, moved or not.
    appendAudit(t.store.db, { at: t.clock.t, kind: 'login', outcome: 'ok' });
    expect(count('audit_events')).toBe(302);
  });

  it('keeps ids growing across a restart, moved or not', () => {
    fill();
    flushAuditInbox(t.store.db, 100);
    const before = (t.store.db.prepare('SELECT max(id) AS id FROM audit_events').get() as { id: number }).id;
    // A new connection on the same file, as after a restart (the first one writes nothing more).
    const again = openStore(t.dir);
    try {
      const id = appendAudit(again.db, { at: t.clock.t, kind: 'login', outcome: 'ok' });
      expect(id).toBe(before + 1);
      expect(queryAudit(again.db, {}, { limit: 301 })).toHaveLength(301);
    } finally {
      again.close();
    }
  });
});

describe('audit ids after retention emptied the log', () => {
  it('never reuses an id the full-text index has covered, so a new event is still found by search', () => {
    fill();
    expect(queryAudit(t.store.db, { text: 'ann' }, { limit: 1000 })).toHaveLength(100); // moved and indexed
    t.store.db.prepare('DELETE FROM audit_log').run(); // what retention does to an idle app's old events
    const again = openStore(t.dir); // a restart: the id counter starts from the store
    try {
      const id = appendAudit(again.db, { at: t.clock.t, kind: 'login', email: 'quinn@acme.test', outcome: 'ok' });
      expect(id).toBeGreaterThan(300);
      expect(queryAudit(again.db, { text: 'quinn' }, { limit: 10 }).map((e) => e.id)).toEqual([id]);
    } finally {
      again.close();
    }
  });
});

describe('deferred full-text index', () => {
  it('indexes in batches behind the writes, and a search never misses an event', async () => {
    const { indexAuditText } = await import('../../src/main/store/audit');
    fill();
    const state = () =>
      (t.store.db.prepare('SELECT indexed_through AS n FROM audit_fts_state').get() as { n: number }).n;
    expect(state()).toBe(0);
    // Only moved events are indexed: nothing yet, then a first batch.
    expect(indexAuditText(t.store.db, 100)).toBe(0);
    flushAuditInbox(t.store.db, 200);
    expect(indexAuditText(t.store.db, 100)).toBe(100);
    expect(state()).toBe(100);
    // A search catches up the rest first.
    expect(queryAudit(t.store.db, { text: 'ann' }, { limit: 1000 })).toHaveLength(100);
    expect(state()).toBe(300);
    // New events are found at once.
    appendAudit(t.store.db, { at: t.clock.t, kind: 'login', email: 'zed@acme.test', outcome: 'ok' });
    expect(queryAudit(t.store.db, { text: 'zed' }, { limit: 10 })).toHaveLength(1);
    // Deleting an event that was never indexed leaves the index sound.
    appendAudit(t.store.db, { at: t.clock.t, kind: 'login', email: 'yan@acme.test', outcome: 'ok' });
    flushAuditInbox(t.store.db);
    t.store.db.prepare("DELETE FROM audit_log WHERE email = 'yan@acme.test'").run();
    expect(queryAudit(t.store.db, { text: 'yan' }, { limit: 10 })).toHaveLength(0);
    t.store.db.prepare("INSERT INTO audit_fts (audit_fts, rank) VALUES ('integrity-check', 1)").run();
  });
});
