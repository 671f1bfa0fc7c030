import type Database from 'better-sqlite3';
import type { Db } from './db';

// better-sqlite3 does not cache prepared statements, and preparing one costs more than running it
// (an INSERT into audit_events also compiles its full-text triggers). Hot paths prepare once per
// connection through here.
const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/** The statement for `sql` on this connection, prepared on first use. */
export function stmt(db: Db, sql: string): Database.Statement {
  let byDb = cache.get(db);
  if (!byDb) cache.set(db, (byDb = new Map()));
  let s = byDb.get(sql);
  if (!s) byDb.set(sql, (s = db.prepare(sql)));
  return s;
}

/**
 * Why the background batches write `LIMIT +?` rather than `LIMIT ?`.
 *
 * SQLite treats a bound LIMIT as a constant of the plan: the statement remembers that its plan depends
 * on that parameter and is compiled again at the next step after any bind of it (vdbeUnbind and
 * sqlite3ExprIsInteger in sqlite3.c), whatever the value; better-sqlite3 binds every parameter on every
 * run. So a cached `... LIMIT ?` statement was parsed and planned again on every run: 12.6 µs against
 * 6.3 µs for the prune batch's aggregate over 64 rows (in memory, 2026-11-26), and now and then
 * a millisecond or more, when the re-parse met glibc's malloc_consolidate (perf, bench/growth: the
 * prune batches over 1 ms that the kernel had not stopped). A unary plus makes the limit an expression
 * the planner does not read, as on a first prepare, where the bound value is not known yet either.
 * The user-facing pages (audit search, SCIM lists) keep `LIMIT ?`: a plan that knows a page is 50
 * rows may be the better one there, and they run once per request rather than hundreds of times a second.
 */
export const BOUND_LIMIT = 'LIMIT +?';
