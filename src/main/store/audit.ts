import type { Db } from './db';
import { stmt } from './statements';

export interface AuditEvent {
  id: number;
  at: number;
  kind: string;
  accountId: string | null;
  email: string | null;
  actor: string | null;
  method: string | null;
  outcome: string;
  reason: string | null;
  durationMs: number | null;
  detail: unknown;
  /** The Simulator run that caused this event (and the run's own saved event), if any. */
  runId: string | null;
}

export type NewAuditEvent = Omit<
  AuditEvent,
  'id' | 'detail' | 'accountId' | 'email' | 'actor' | 'method' | 'reason' | 'durationMs' | 'runId'
> &
  Partial<Pick<AuditEvent, 'accountId' | 'email' | 'actor' | 'method' | 'reason' | 'durationMs' | 'detail' | 'runId'>>;

/**
 * Appends an event, inside the caller's transaction, to the unindexed inbox: one page per commit instead
 * of the log's six (migration 91). The id is allocated here, in append order, so ids keep growing with
 * time once the event is moved into the log. Callers pass only redacted material: this module stores
 * what it is given. Readers below move what is pending first, so no reader ever misses an event.
 */
export function appendAudit(db: Db, e: NewAuditEvent): number {
  const id = nextAuditId(db);
  stmt(
    db,
    `INSERT INTO audit_inbox (id, at, kind, account_id, email, actor, method, outcome, reason, duration_ms, detail, run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    e.at,
    e.kind,
    e.accountId ?? null,
    e.email ?? null,
    e.actor ?? null,
    e.method ?? null,
    e.outcome,
    e.reason ?? null,
    e.durationMs ?? null,
    e.detail === undefined ? null : JSON.stringify(e.detail),
    e.runId ?? null,
  );
  return id;
}

// The last id handed out, per connection. The app's one connection is the log's only writer; a rolled
// back append leaves a gap in the ids, never a duplicate.
const lastAuditId = new WeakMap<Db, number>();

function nextAuditId(db: Db): number {
  let last = lastAuditId.get(db);
  if (last === undefined) {
    // Never below what the full-text index has covered: after retention has emptied the log, reused ids
    // would sit under `indexed_through` and never be indexed for search.
    last = (
      stmt(
        db,
        `SELECT max(coalesce((SELECT max(id) FROM audit_log), 0), coalesce((SELECT max(id) FROM audit_inbox), 0),
                    coalesce((SELECT indexed_through FROM audit_fts_state), 0)) AS id`,
      ).get() as { id: number }
    ).id;
  }
  lastAuditId.set(db, last + 1);
  return last + 1;
}

/**
 * Moves up to `batch` events from the inbox into the indexed log (oldest first), in one transaction;
 * returns how many moved. The background maintenance calls it a batch at a time, off the write path.
 */
export function flushAuditInbox(db: Db, batch = 1000): number {
  // The idle case (checked every few milliseconds) costs one read, no transaction.
  if (stmt(db, 'SELECT 1 FROM audit_inbox LIMIT 1').get() === undefined) return 0;
  return db.transaction(() => {
    const last = (
      stmt(db, `SELECT max(id) AS id FROM (SELECT id FROM audit_inbox ORDER BY id LIMIT ?)`).get(batch) as {
        id: number | null;
      }
    ).id;
    if (last === null) return 0;
    const n = stmt(db, 'INSERT INTO audit_log SELECT * FROM audit_inbox WHERE id <= ? ORDER BY id').run(last).changes;
    stmt(db, 'DELETE FROM audit_inbox WHERE id <= ?').run(last);
    return n;
  })();
}

/** Moves everything pending, so that a reader sees every event (each batch its own transaction). */
export function catchUpAuditInbox(db: Db): void {
  if (stmt(db, 'SELECT 1 FROM audit_inbox LIMIT 1').get() === undefined) return;
  while (flushAuditInbox(db, 5000) > 0) {
    // Until the inbox is empty.
  }
}

interface RawAudit {
  id: number;
  at: number;
  kind: string;
  account_id: string | null;
  email: string | null;
  actor: string | null;
  method: string | null;
  outcome: string;
  reason: string | null;
  duration_ms: number | null;
  detail: string | null;
  run_id?: string | null;
}

export const auditFromRaw = (r: RawAudit): AuditEvent => ({
  id: r.id,
  at: r.at,
  kind: r.kind,
  accountId: r.account_id,
  email: r.email,
  actor: r.actor,
  method: r.method,
  outcome: r.outcome,
  reason: r.reason,
  durationMs: r.duration_ms,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
  runId: r.run_id ?? null,
});

export interface AuditFilter {
  text?: string | undefined;
  accountId?: string | undefined;
  method?: string | undefined;
  outcome?: string | undefined;
  /** Who acted: 'simulator', 'console', 'Platform API', 'api 127.0.0.1'… */
  actor?: string | undefined;
  /** Leave out what the Simulator did (its runs and the logins they caused). */
  hideSimulator?: boolean | undefined;
  /** Inclusive lower and exclusive upper bound on `at`, in ms. */
  from?: number | undefined;
  to?: number | undefined;
}

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * Turns what a person types into an FTS5 query: every word required, the last one as a prefix (the
 * word being typed). Quoting keeps FTS5 operators (`OR`, `NEAR`, `*`, `"`) from being interpreted.
 */
export function ftsQuery(text: string): string | null {
  const terms = words(text).slice(0, 16);
  return terms.length === 0 ? null : terms.map((w, i) => (i === terms.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ');
}

/** Column filters narrow the full-text match too (the SQL equality still decides). */
function ftsColumnTerms(filter: AuditFilter): string {
  const col = (name: string, value: string | undefined) =>
    value
      ? words(value)
          .map((w) => `${name} : "${w}"`)
          .join(' ')
      : '';
  return [
    col('account_id', filter.accountId),
    col('method', filter.method),
    col('outcome', filter.outcome),
    col('actor', filter.actor),
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The id range of a time range: one seek each on the `at` index. Relies on the log being appended in
 * time order (ids grow with `at`); the `at` conditions stay in the query, so no row outside the range
 * is ever returned.
 */
export function idBounds(db: Db, filter: { from?: number; to?: number }): { lo?: number; hi?: number; empty: boolean } {
  const seek = stmt(db, 'SELECT id FROM audit_log WHERE at >= ? ORDER BY at LIMIT 1');
  const out: { lo?: number; hi?: number; empty: boolean } = { empty: false };
  if (filter.from !== undefined) {
    const r = seek.get(filter.from) as { id: number } | undefined;
    if (!r) return { empty: true };
    out.lo = r.id;
  }
  if (filter.to !== undefined) {
    const r = seek.get(filter.to) as { id: number } | undefined;
    if (r) out.hi = r.id;
  }
  return out;
}

/**
 * Adds up to `batch` not-yet-indexed events to the full-text index; returns how many. FTS5 takes a
 * batch far more cheaply than one row per write, and the writers (token issuance, logins) stay fast.
 */
export function indexAuditText(db: Db, batch = 5000): number {
  // Only what has moved into the log: the inbox is not indexed (its events are moved first by readers).
  const behind = stmt(
    db,
    'SELECT (SELECT max(id) FROM audit_log) > (SELECT indexed_through FROM audit_fts_state) AS behind',
  ).get() as { behind: number | null };
  if (!behind.behind) return 0;
  return db.transaction(() => {
    const through = (stmt(db, 'SELECT indexed_through AS t FROM audit_fts_state').get() as { t: number }).t;
    const last = stmt(db, `SELECT max(id) AS id FROM (SELECT id FROM audit_log WHERE id > ? ORDER BY id LIMIT ?)`).get(
      through,
      batch,
    ) as { id: number | null };
    if (last.id === null) return 0;
    const n = stmt(
      db,
      `INSERT INTO audit_fts (rowid, kind, email, account_id, actor, reason, method, outcome)
       SELECT id, kind, email, account_id, actor, reason, method, outcome FROM audit_log WHERE id > ? AND id <= ?`,
    ).run(through, last.id).changes;
    stmt(db, 'UPDATE audit_fts_state SET indexed_through = ?').run(last.id);
    return n;
  })();
}

/** Indexes everything still pending (a search must see every event). */
export function catchUpAuditText(db: Db): void {
  catchUpAuditInbox(db);
  while (indexAuditText(db) > 0) {
    // Each batch is its own transaction, so a long catch-up never holds the write lock for long.
  }
}

/**
 * One page of events, newest first, keyset-paged by id (events are appended in time order):
 * `before` is the last id of the previous page. Cost is independent of how deep the page is.
 */
export function queryAudit(
  db: Db,
  filter: AuditFilter,
  opts: { limit: number; before?: number | undefined },
): AuditEvent[] {
  catchUpAuditInbox(db);
  const bounds = idBounds(db, filter);
  if (bounds.empty) return [];
  const conditions: Array<[string, unknown]> = [];
  if (filter.accountId) conditions.push(['e.account_id = ?', filter.accountId]);
  if (filter.method) conditions.push(['e.method = ?', filter.method]);
  if (filter.outcome) conditions.push(['e.outcome = ?', filter.outcome]);
  if (filter.actor) conditions.push(['e.actor = ?', filter.actor]);
  if (filter.hideSimulator) conditions.push(['(e.actor IS NULL OR e.actor <> ?)', SIMULATOR_ACTOR]);
  if (filter.from !== undefined) conditions.push(['e.at >= ?', filter.from]);
  if (filter.to !== undefined) conditions.push(['e.at < ?', filter.to]);
  const fts = filter.text ? ftsQuery(filter.text) : null;
  if (fts) catchUpAuditText(db);
  // The id column the range applies to: the FTS rowid when searching text, so FTS5 can use it.
  const idCol = fts ? 'f.rowid' : 'e.id';
  if (bounds.lo !== undefined) conditions.push([`${idCol} >= ?`, bounds.lo]);
  if (bounds.hi !== undefined) conditions.push([`${idCol} < ?`, bounds.hi]);
  if (opts.before !== undefined) conditions.push([`${idCol} < ?`, opts.before]);
  const where = conditions.map(([c]) => c);
  const params = conditions.map(([, p]) => p);
  if (fts) {
    const match = [fts, ftsColumnTerms(filter)].filter(Boolean).join(' ');
    // The statement's shape depends only on which filters are set: a few hundred at most, each prepared once.
    const rows = stmt(
      db,
      `SELECT e.* FROM audit_fts f JOIN audit_log e ON e.id = f.rowid
        WHERE audit_fts MATCH ? ${where.map((c) => `AND ${c}`).join(' ')} ORDER BY f.rowid DESC LIMIT ?`,
    ).all(match, ...params, opts.limit) as RawAudit[];
    return rows.map(auditFromRaw);
  }
  const rows = stmt(
    db,
    `SELECT e.* FROM audit_log e ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e.id DESC LIMIT ?`,
  ).all(...params, opts.limit) as RawAudit[];
  return rows.map(auditFromRaw);
}

/** The actor of everything the Simulator does: its saved runs and the logins they cause. */
export const SIMULATOR_ACTOR = 'simulator';

/** The events one Simulator run caused (and its saved run event), oldest first. */
export function auditEventsOfRun(db: Db, runId: string): AuditEvent[] {
  catchUpAuditInbox(db);
  return (stmt(db, 'SELECT * FROM audit_log WHERE run_id = ? ORDER BY id LIMIT 200').all(runId) as RawAudit[]).map(
    auditFromRaw,
  );
}

export function getAuditEvent(db: Db, id: number): AuditEvent | undefined {
  catchUpAuditInbox(db);
  const r = stmt(db, 'SELECT * FROM audit_log WHERE id = ?').get(id) as RawAudit | undefined;
  return r && auditFromRaw(r);
}

/** Deletes up to `batch` events older than `cutoff`; returns how many went. Small batches keep the store responsive. */
export function deleteAuditBefore(db: Db, cutoff: number, batch: number): number {
  catchUpAuditInbox(db);
  return db
    .prepare('DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)')
    .run(cutoff, batch).changes;
}

/** Distinct values for the filter menus. */
export function auditFacets(db: Db): { methods: string[]; outcomes: string[]; accounts: string[]; actors: string[] } {
  catchUpAuditInbox(db);
  // A skip-scan over the index: one seek per distinct value instead of reading a million rows.
  const col = (c: 'method' | 'outcome' | 'account_id' | 'actor') =>
    (
      db
        .prepare(
          `WITH RECURSIVE t(v) AS (
             SELECT min(${c}) FROM audit_log
             UNION ALL SELECT (SELECT min(${c}) FROM audit_log WHERE ${c} > t.v) FROM t WHERE t.v IS NOT NULL)
           SELECT v FROM t WHERE v IS NOT NULL`,
        )
        .all() as Array<{ v: string }>
    ).map((r) => r.v);
  return { methods: col('method'), outcomes: col('outcome'), accounts: col('account_id'), actors: col('actor') };
}

/** The latest event of one kind for one account (e.g. its last SCIM request), newest first by id. */
export function lastAuditOf(db: Db, accountId: string, kind: string): AuditEvent | undefined {
  catchUpAuditInbox(db);
  const row = stmt(db, `SELECT id FROM audit_log WHERE account_id = ? AND kind = ? ORDER BY id DESC LIMIT 1`).get(
    accountId,
    kind,
  ) as { id: number } | undefined;
  return row ? getAuditEvent(db, row.id) : undefined;
}
