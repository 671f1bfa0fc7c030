import type { Db } from './db';
import { stmt } from './statements';
import type { MembershipStatus } from './accounts';

/*
 * The statements that end access: the only writer of `memberships.status`, and the revocations of what a
 * member has open. Called only through engine/access/end-access.ts, so that every path that deactivates
 * or removes someone ends the same things (test/access/one-writer.test.ts keeps it that way).
 */

/** What was open and is now ended. */
export interface Ended {
  sessions: number;
  ssoSessions: number;
  tokens: number;
  deepLinkSessions: number;
}

/** Switches one membership on or off; `by` names who did it ('scim:Okta', 'console'). */
export function writeMembershipStatus(
  db: Db,
  accountId: string,
  userId: number,
  status: MembershipStatus,
  by: string,
  now: number,
): void {
  stmt(db, 'UPDATE memberships SET status = ?, status_at = ?, status_by = ? WHERE account_id = ? AND user_id = ?').run(
    status,
    now,
    by,
    accountId,
    userId,
  );
}

/**
 * Ends every way in of one user in one account (or, with `accountId` null, in every account): login
 * sessions, "Sign in with SSO" sessions, deep-link tokens and the browser sessions they opened.
 */
export function endMemberSessions(db: Db, accountId: string | null, userId: number, now: number): Ended {
  const sessions = stmt(
    db,
    `UPDATE auth_sessions SET revoked_at = @now
      WHERE (@accountId IS NULL OR account_id = @accountId) AND user_id = @userId AND revoked_at IS NULL`,
  ).run({ now, accountId, userId }).changes;
  const ssoSessions = stmt(
    db,
    `UPDATE oidc_sessions SET ended_at = @now, id_token_enc = NULL
      WHERE (@accountId IS NULL OR account_id = @accountId) AND user_id = @userId AND ended_at IS NULL`,
  ).run({ now, accountId, userId }).changes;
  const deepLinks = endDeepLinks(db, { accountId, userId, botId: null }, now);
  return { sessions, ssoSessions, ...deepLinks };
}

/**
 * Revokes unexpired deep-link tokens and ends the browser sessions they opened, narrowed by account,
 * user, bot and token (null = any).
 */
export function endDeepLinks(
  db: Db,
  where: { accountId: string | null; userId: number | null; botId: string | null; tokenId?: number | null },
  now: number,
): { tokens: number; deepLinkSessions: number } {
  const match = `(@accountId IS NULL OR account_id = @accountId) AND (@userId IS NULL OR user_id = @userId)
    AND (@botId IS NULL OR bot_id = @botId) AND (@tokenId IS NULL OR id = @tokenId)`;
  const params = { now, tokenId: null, ...where };
  const deepLinkSessions = stmt(
    db,
    `UPDATE sso_sessions SET ended_at = @now WHERE ended_at IS NULL AND expires_at > @now
        AND token_id IN (SELECT id FROM sso_tokens WHERE ${match})`,
  ).run(params).changes;
  const tokens = stmt(
    db,
    `UPDATE sso_tokens SET revoked_at = @now WHERE revoked_at IS NULL AND expires_at > @now AND ${match}`,
  ).run(params).changes;
  return { tokens, deepLinkSessions };
}

/** A user's unexpired, unrevoked deep links (Platform SSO tokens), newest first: the user page lists them. */
export function openDeepLinksOf(
  db: Db,
  userId: number,
  now: number,
): Array<{ id: number; accountId: string; botId: string | null; issuedAt: number; expiresAt: number; opened: number }> {
  return stmt(
    db,
    `SELECT t.id, t.account_id AS accountId, t.bot_id AS botId, t.issued_at AS issuedAt, t.expires_at AS expiresAt,
            (SELECT count(*) FROM sso_sessions s WHERE s.token_id = t.id AND s.ended_at IS NULL AND s.expires_at > @now)
              AS opened
       FROM sso_tokens t
      WHERE t.user_id = @userId AND t.scope = 'sso' AND t.revoked_at IS NULL AND t.expires_at > @now
      ORDER BY t.issued_at DESC, t.id DESC`,
  ).all({ userId, now }) as Array<{
    id: number;
    accountId: string;
    botId: string | null;
    issuedAt: number;
    expiresAt: number;
    opened: number;
  }>;
}

/** Per user: how many memberships are deactivated, and which IdPs provisioned memberships (the Users list). */
export function membershipStates(db: Db): Map<number, { deactivated: number; provisionedBy: string[] }> {
  const rows = stmt(
    db,
    `SELECT user_id AS userId, sum(status = 'deactivated') AS deactivated,
            group_concat(DISTINCT CASE WHEN source = 'scim' THEN coalesce(provisioned_by, 'SCIM') END) AS idps
       FROM memberships GROUP BY user_id`,
  ).all() as Array<{ userId: number; deactivated: number; idps: string | null }>;
  return new Map(
    rows.map((r) => [r.userId, { deactivated: r.deactivated, provisionedBy: r.idps ? r.idps.split(',') : [] }]),
  );
}
