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

/** Newest first, keyset-paged by (at, id). */
export function listAudit(db: Db, opts: { limit: number; before?: { at: number; id: number } }): AuditEvent[] {
  const rows = opts.before
    ? (db
        .prepare('SELECT * FROM audit_events WHERE (at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?')
        .all(opts.before.at, opts.before.id, opts.limit) as RawAudit[])
    : (db.prepare('SELECT * FROM audit_events ORDER BY at DESC, id DESC LIMIT ?').all(opts.limit) as RawAudit[]);
  return rows.map(auditFromRaw);
}
