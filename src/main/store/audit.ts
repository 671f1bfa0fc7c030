import type { Db } from './db';

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
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'detail' | 'accountId' | 'email' | 'actor' | 'method' | 'reason' | 'durationMs'> &
  Partial<Pick<AuditEvent, 'accountId' | 'email' | 'actor' | 'method' | 'reason' | 'durationMs' | 'detail'>>;

/** Appends an event. Callers pass only redacted material: this module stores what it is given. */
export function appendAudit(db: Db, e: NewAuditEvent): number {
  const info = db
    .prepare(
      `INSERT INTO audit_events (at, kind, account_id, email, actor, method, outcome, reason, duration_ms, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
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
    );
  return Number(info.lastInsertRowid);
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
});

export interface AuditFilter {
  text?: string | undefined;
  accountId?: string | undefined;
  method?: string | undefined;
  outcome?: string | undefined;
  /** Inclusive lower and exclusive upper bound on `at`, in ms. */
  from?: number | undefined;
  to?: number | undefined;
}

/**
 * Turns what a person types into an FTS5 query: each word a quoted prefix term, all required.
 * Quoting keeps FTS5 operators (`OR`, `NEAR`, `*`, `"`) typed by the user from being interpreted.
 */
export function ftsQuery(text: string): string | null {
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 16);
  return words.length === 0 ? null : words.map((w) => `"${w}"*`).join(' ');
}

function whereClause(filter: AuditFilter, alias: string): { sql: string[]; params: unknown[] } {
  const conditions: Array<[string, unknown]> = [];
  if (filter.accountId) conditions.push([`${alias}.account_id = ?`, filter.accountId]);
  if (filter.method) conditions.push([`${alias}.method = ?`, filter.method]);
  if (filter.outcome) conditions.push([`${alias}.outcome = ?`, filter.outcome]);
  if (filter.from !== undefined) conditions.push([`${alias}.at >= ?`, filter.from]);
  if (filter.to !== undefined) conditions.push([`${alias}.at < ?`, filter.to]);
  return { sql: conditions.map(([c]) => c), params: conditions.map(([, p]) => p) };
}

/**
 * One page of events, newest first, keyset-paged by id (events are appended in time order):
 * `before` is the last id of the previous page. Cost is independent of how deep the page is.
 */
export function queryAudit(db: Db, filter: AuditFilter, opts: { limit: number; before?: number | undefined }): AuditEvent[] {
  const { sql, params } = whereClause(filter, 'e');
  if (opts.before !== undefined) {
    sql.push('e.id < ?');
    params.push(opts.before);
  }
  const fts = filter.text ? ftsQuery(filter.text) : null;
  if (fts) {
    const where = ['audit_fts MATCH ?', ...sql.map((c) => c.replace('e.id < ?', 'f.rowid < ?'))];
    const rows = db
      .prepare(
        `SELECT e.* FROM audit_fts f JOIN audit_events e ON e.id = f.rowid
          WHERE ${where.join(' AND ')} ORDER BY f.rowid DESC LIMIT ?`,
      )
      .all(fts, ...params, opts.limit) as RawAudit[];
    return rows.map(auditFromRaw);
  }
  const rows = db
    .prepare(`SELECT e.* FROM audit_events e ${sql.length ? `WHERE ${sql.join(' AND ')}` : ''} ORDER BY e.id DESC LIMIT ?`)
    .all(...params, opts.limit) as RawAudit[];
  return rows.map(auditFromRaw);
}

export function getAuditEvent(db: Db, id: number): AuditEvent | undefined {
  const r = db.prepare('SELECT * FROM audit_events WHERE id = ?').get(id) as RawAudit | undefined;
  return r && auditFromRaw(r);
}

/** Deletes up to `batch` events older than `cutoff`; returns how many went. Small batches keep the store responsive. */
export function deleteAuditBefore(db: Db, cutoff: number, batch: number): number {
  return db
    .prepare('DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < ? ORDER BY at LIMIT ?)')
    .run(cutoff, batch).changes;
}

/** Distinct values for the filter menus. */
export function auditFacets(db: Db): { methods: string[]; outcomes: string[]; accounts: string[] } {
  // A skip-scan over the index: one seek per distinct value instead of reading a million rows.
  const col = (c: 'method' | 'outcome' | 'account_id') =>
    (
      db
        .prepare(
          `WITH RECURSIVE t(v) AS (
             SELECT min(${c}) FROM audit_events
             UNION ALL SELECT (SELECT min(${c}) FROM audit_events WHERE ${c} > t.v) FROM t WHERE t.v IS NOT NULL)
           SELECT v FROM t WHERE v IS NOT NULL`,
        )
        .all() as Array<{ v: string }>
    ).map((r) => r.v);
  return { methods: col('method'), outcomes: col('outcome'), accounts: col('account_id') };
}
