import type { Db } from './db';
import { stmt } from './statements';
import type { OidcRow } from './sso-config';

/** The configuration users signed in with before the last edit of a live SSO setup (migration 95). */
export interface LastWorking {
  config: OidcRow;
  keptAt: number;
  keptBy: string;
}

export function getLastWorking(db: Db, accountId: string): LastWorking | undefined {
  const r = stmt(
    db,
    'SELECT config, kept_at AS keptAt, kept_by AS keptBy FROM sso_last_working WHERE account_id = ?',
  ).get(accountId) as { config: string; keptAt: number; keptBy: string } | undefined;
  return r && { config: JSON.parse(r.config) as OidcRow, keptAt: r.keptAt, keptBy: r.keptBy };
}

export function keepLastWorking(db: Db, config: OidcRow, by: string, now: number): void {
  stmt(
    db,
    `INSERT INTO sso_last_working (account_id, config, kept_at, kept_by) VALUES (?, ?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET config = excluded.config, kept_at = excluded.kept_at, kept_by = excluded.kept_by`,
  ).run(config.accountId, JSON.stringify(config), now, by);
}

export function dropLastWorking(db: Db, accountId: string): void {
  stmt(db, 'DELETE FROM sso_last_working WHERE account_id = ?').run(accountId);
}
