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
