import type { Db } from './db';
import type { Plan, Role, TeamLevel } from '@shared/domain';

/*
 * The console directory's writes and counts that the import path does not need. Reads of single rows
 * stay in accounts.ts, users.ts and bots.ts.
 */

export function updateAccountCore(
  db: Db,
  id: string,
  patch: { name?: string | undefined; plan?: Plan | undefined },
): void {
  if (patch.name !== undefined) db.prepare('UPDATE accounts SET name = ? WHERE id = ?').run(patch.name, id);
  if (patch.plan !== undefined) db.prepare('UPDATE accounts SET plan = ? WHERE id = ?').run(patch.plan, id);
}

const count = (db: Db, sql: string, ...args: unknown[]): number => (db.prepare(sql).get(...args) as { n: number }).n;

export function accountCounts(db: Db): Map<string, { members: number; bots: number }> {
  const out = new Map<string, { members: number; bots: number }>();
  const rows = db
    .prepare(
      `SELECT a.id, (SELECT count(*) FROM memberships m WHERE m.account_id = a.id) AS members,
              (SELECT count(*) FROM bots b WHERE b.account_id = a.id) AS bots FROM accounts a`,
    )
    .all() as Array<{ id: string; members: number; bots: number }>;
  for (const r of rows) out.set(r.id, { members: r.members, bots: r.bots });
  return out;
}

/** The numbers of what an account's deletion takes with it. */
export function accountDependents(db: Db, id: string, now: number) {
  return {
    members: count(db, 'SELECT count(*) AS n FROM memberships WHERE account_id = ?', id),
    activeKeys: count(db, 'SELECT count(*) AS n FROM api_keys WHERE account_id = ? AND revoked_at IS NULL', id),
    openSessions:
      count(
        db,
        'SELECT count(*) AS n FROM auth_sessions WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ?',
        id,
        now,
      ) +
      count(
        db,
        'SELECT count(*) AS n FROM oidc_sessions WHERE account_id = ? AND ended_at IS NULL AND expires_at > ?',
        id,
        now,
      ) +
      count(
        db,
        `SELECT count(*) AS n FROM sso_sessions s JOIN sso_tokens t ON t.id = s.token_id
          WHERE t.account_id = ? AND s.ended_at IS NULL AND s.expires_at > ?`,
        id,
        now,
      ),
    usersLeftWithoutAccount: count(
      db,
      `SELECT count(*) AS n FROM memberships m WHERE m.account_id = ?
          AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.user_id = m.user_id AND o.account_id <> m.account_id)`,
      id,
    ),
  };
}

export function membershipCounts(db: Db): Map<number, number> {
  const rows = db.prepare('SELECT user_id AS userId, count(*) AS n FROM memberships GROUP BY user_id').all() as Array<{
    userId: number;
    n: number;
  }>;
  return new Map(rows.map((r) => [r.userId, r.n]));
}

export function updateMembershipRole(db: Db, accountId: string, userId: number, role: Role): void {
  db.prepare('UPDATE memberships SET role = ? WHERE account_id = ? AND user_id = ?').run(role, accountId, userId);
}

export function deleteMembership(db: Db, accountId: string, userId: number): void {
  db.prepare('DELETE FROM memberships WHERE account_id = ? AND user_id = ?').run(accountId, userId);
}

export function countOwners(db: Db, accountId: string): number {
  return count(db, "SELECT count(*) AS n FROM memberships WHERE account_id = ? AND role = 'owner'", accountId);
}

export function botsOwnedBy(db: Db, userId: number): Array<{ id: string; name: string }> {
  return db.prepare('SELECT id, name FROM bots WHERE owner_user_id = ? ORDER BY name').all(userId) as Array<{
    id: string;
    name: string;
  }>;
}

export function teamPlacesOf(db: Db, userId: number): Array<{ botId: string; level: TeamLevel }> {
  return db
    .prepare('SELECT bot_id AS botId, level FROM bot_team WHERE user_id = ? ORDER BY bot_id')
    .all(userId) as Array<{
    botId: string;
    level: TeamLevel;
  }>;
}

export function updateBot(
  db: Db,
  id: string,
  patch: { name?: string | undefined; ownerUserId?: number | undefined },
): void {
  if (patch.name !== undefined) db.prepare('UPDATE bots SET name = ? WHERE id = ?').run(patch.name, id);
  if (patch.ownerUserId !== undefined)
    db.prepare('UPDATE bots SET owner_user_id = ? WHERE id = ?').run(patch.ownerUserId, id);
}

export function deleteBot(db: Db, id: string): void {
  db.prepare('DELETE FROM bots WHERE id = ?').run(id);
}

export function setTeamLevel(db: Db, botId: string, userId: number, level: TeamLevel): void {
  db.prepare(
    'INSERT INTO bot_team (bot_id, user_id, level) VALUES (?, ?, ?) ON CONFLICT(bot_id, user_id) DO UPDATE SET level = excluded.level',
  ).run(botId, userId, level);
}

export function removeTeamMember(db: Db, botId: string, userId: number): number {
  return db.prepare('DELETE FROM bot_team WHERE bot_id = ? AND user_id = ?').run(botId, userId).changes;
}

export type SessionKind = 'password' | 'sso' | 'platform-sso';

export interface OpenSession {
  kind: SessionKind;
  id: number;
  accountId: string;
  detail: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * A user's open sessions of every kind: the platform's own login (auth_sessions), "Sign in with SSO"
 * (oidc_sessions, by rowid: its key is a hash that never leaves main) and Platform SSO deep links
 * (sso_sessions, through the token that opened them).
 */
export function openSessionsOf(db: Db, userId: number, now: number): OpenSession[] {
  const password = db
    .prepare(
      `SELECT 'password' AS kind, id, account_id AS accountId, method AS detail, created_at AS createdAt, expires_at AS expiresAt
         FROM auth_sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?`,
    )
    .all(userId, now) as OpenSession[];
  const sso = db
    .prepare(
      `SELECT 'sso' AS kind, rowid AS id, account_id AS accountId, issuer AS detail, created_at AS createdAt, expires_at AS expiresAt
         FROM oidc_sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?`,
    )
    .all(userId, now) as OpenSession[];
  const platform = db
    .prepare(
      `SELECT 'platform-sso' AS kind, s.id, t.account_id AS accountId, coalesce(t.bot_id, '') AS detail,
              s.created_at AS createdAt, s.expires_at AS expiresAt
         FROM sso_sessions s JOIN sso_tokens t ON t.id = s.token_id
        WHERE t.user_id = ? AND s.ended_at IS NULL AND s.expires_at > ?`,
    )
    .all(userId, now) as OpenSession[];
  return [...password, ...sso, ...platform].sort((a, b) => b.createdAt - a.createdAt);
}

/** Ends one open session of this user; false when there is no such open session. */
export function endSessionOf(db: Db, userId: number, kind: SessionKind, id: number, now: number): boolean {
  switch (kind) {
    case 'password':
      return (
        db
          .prepare('UPDATE auth_sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL')
          .run(now, id, userId).changes === 1
      );
    case 'sso':
      return (
        db
          .prepare(
            'UPDATE oidc_sessions SET ended_at = ?, id_token_enc = NULL WHERE rowid = ? AND user_id = ? AND ended_at IS NULL',
          )
          .run(now, id, userId).changes === 1
      );
    case 'platform-sso':
      return (
        db
          .prepare(
            `UPDATE sso_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL
                AND token_id IN (SELECT id FROM sso_tokens WHERE user_id = ?)`,
          )
          .run(now, id, userId).changes === 1
      );
  }
}

/** Ends every open password-login session of a user (after their password changed). */
export function endPasswordSessionsOf(db: Db, userId: number, now: number): number {
  return db
    .prepare("UPDATE auth_sessions SET revoked_at = ? WHERE user_id = ? AND method = 'password' AND revoked_at IS NULL")
    .run(now, userId).changes;
}
