import type { Db } from './db';
import { stmt } from './statements';

/**
 * What the background pruner deletes, table by table. Every row here is dead once `dead` holds: an
 * expired token cannot be redeemed, an expired or ended session cannot be resumed, an expired or used
 * reset link cannot be followed. The audit log keeps the history of each (who, when, outcome), so the
 * rows themselves carry nothing worth keeping.
 *
 * Rows are appended in time order, so rowid order is creation order. A pass walks a table from its
 * lowest rowid in small batches and stops at the first row created less than `minLifeMs` ago: every
 * row after it is younger still, and nothing that young can be dead by expiry. This needs no index on
 * the expiry columns — an index there would cost every issuance one more page to write.
 */
export interface PruneTable {
  table: string;
  /** The column of the creation time (ms). */
  created: string;
  /** SQL condition, with `?` bound to now (ms), for a row that may go. */
  dead: string;
  /** The shortest lifetime a row of this table can have: the pass stops at younger rows. */
  minLifeMs: number;
}

const HOUR = 60 * 60 * 1000;

export const PRUNE_TABLES: readonly PruneTable[] = [
  // Platform SSO and integration tokens live 60 minutes; their deep-link sessions go with them (FK cascade).
  { table: 'sso_tokens', created: 'issued_at', dead: 'expires_at <= ?', minLifeMs: HOUR },
  // Sessions of the platform's own login endpoints.
  { table: 'auth_sessions', created: 'created_at', dead: 'expires_at <= ?', minLifeMs: 0 },
  // Reset links: used or expired.
  { table: 'password_resets', created: 'created_at', dead: '(expires_at <= ? OR used_at IS NOT NULL)', minLifeMs: 0 },
  // "Sign in with SSO" sessions: expired or ended.
  { table: 'oidc_sessions', created: 'created_at', dead: '(expires_at <= ? OR ended_at IS NOT NULL)', minLifeMs: 0 },
  // The offline mailbox: a message carries a reset link that is dead after 30 minutes; kept a day to be read.
  { table: 'auth_outbox', created: 'at', dead: `at <= ? - ${24 * HOUR}`, minLifeMs: 24 * HOUR },
];

export interface BatchResult {
  /** Rows looked at. */
  examined: number;
  /** Rows deleted. */
  deleted: number;
  /** The rowid to continue from, or null when this table's pass is over. */
  next: number | null;
}

/**
 * One batch of one table's pass: looks at up to `limit` rows after `after` (rowid order) and deletes
 * the dead ones among them, in one statement each way. Cheap by construction: two walks of one rowid
 * range. (The rows read as objects and deleted through a json_each list of their ids cost 15–25 % more per
 * row, at 64 and 256 rows a batch; most of what is left at 64 rows is the batch's commit.)
 */
export function pruneBatch(db: Db, t: PruneTable, now: number, after: number, limit: number): BatchResult {
  // One aggregate over the batch's window instead of its rows as objects: how many there are, the last
  // one, and the first one too young to be dead by expiry (rowid order is creation order, so the pass
  // ends there).
  const w = stmt(
    db,
    `SELECT count(*) AS n, max(id) AS last, min(CASE WHEN created > ? THEN id END) AS young
       FROM (SELECT rowid AS id, ${t.created} AS created FROM ${t.table} WHERE rowid > ? ORDER BY rowid LIMIT ?)`,
  ).get(now - t.minLifeMs, after, limit) as { n: number; last: number | null; young: number | null };
  if (w.n === 0 || w.last === null) return { examined: 0, deleted: 0, next: null };
  const through = w.young === null ? w.last : w.young - 1;
  // One rowid range with the table's condition: the rows of a batch are usually all dead, and a range
  // walks the table's pages in order instead of seeking each row from a list.
  const deleted =
    through > after
      ? stmt(db, `DELETE FROM ${t.table} WHERE rowid > ? AND rowid <= ? AND (${t.dead})`).run(after, through, now)
          .changes
      : 0;
  return { examined: w.n, deleted, next: w.young === null && w.n === limit ? w.last : null };
}

export const countRows = (db: Db, table: string): number =>
  (stmt(db, `SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
