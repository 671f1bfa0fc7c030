import type { Db } from './db';
import { stmt } from './statements';

export type TokenScope = 'sso' | 'integration';

export interface TokenRow {
  id: number;
  hash: string;
  scope: TokenScope;
  accountId: string;
  botId: string | null;
  userId: number | null;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface SessionRow {
  id: number;
  hash: string;
  tokenId: number;
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
}

const SELECT_TOKEN = `SELECT id, hash, scope, account_id AS accountId, bot_id AS botId, user_id AS userId,
                             issued_at AS issuedAt, expires_at AS expiresAt, revoked_at AS revokedAt FROM sso_tokens`;

export function insertToken(db: Db, t: Omit<TokenRow, 'id' | 'revokedAt'>): number {
  const info = stmt(
    db,
    `INSERT INTO sso_tokens (hash, scope, account_id, bot_id, user_id, issued_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(t.hash, t.scope, t.accountId, t.botId, t.userId, t.issuedAt, t.expiresAt);
  return Number(info.lastInsertRowid);
}

/**
 * The token of this row id (a split token, engine/tokens/split-token.ts), whatever its state: the
 * caller compares the hash and says whether it is expired or revoked.
 */
export function findTokenById(db: Db, id: number): TokenRow | undefined {
  return stmt(db, `${SELECT_TOKEN} WHERE id = ? AND format = 2`).get(id) as TokenRow | undefined;
}

/** A token issued before split tokens (format 1), by the hash of the whole token: the partial index holds only these. */
export function findLegacyTokenByHash(db: Db, hash: string): TokenRow | undefined {
  return stmt(db, `${SELECT_TOKEN} WHERE hash = ? AND format = 1`).get(hash) as TokenRow | undefined;
}

/** Marks a token revoked (once: a second call keeps the first time). Returns whether it changed. */
export function revokeToken(db: Db, id: number, now: number): boolean {
  return stmt(db, 'UPDATE sso_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
}

export function insertSession(db: Db, s: Omit<SessionRow, 'id' | 'endedAt'>): number {
  const info = stmt(db, 'INSERT INTO sso_sessions (hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    s.hash,
    s.tokenId,
    s.createdAt,
    s.expiresAt,
  );
  return Number(info.lastInsertRowid);
}

export function findSessionByHash(db: Db, hash: string): SessionRow | undefined {
  return stmt(
    db,
    `SELECT id, hash, token_id AS tokenId, created_at AS createdAt, expires_at AS expiresAt, ended_at AS endedAt
       FROM sso_sessions WHERE hash = ?`,
  ).get(hash) as SessionRow | undefined;
}

/** Ends every open session of a token; returns how many were open. */
export function endSessionsOfToken(db: Db, tokenId: number, now: number): number {
  return stmt(db, 'UPDATE sso_sessions SET ended_at = ? WHERE token_id = ? AND ended_at IS NULL').run(now, tokenId)
    .changes;
}

export function countSessionsOfToken(db: Db, tokenId: number): { total: number; open: number } {
  return stmt(
    db,
    'SELECT count(*) AS total, coalesce(sum(ended_at IS NULL), 0) AS open FROM sso_sessions WHERE token_id = ?',
  ).get(tokenId) as { total: number; open: number };
}

/** Everything `POST /authorization/sso` needs to decide, found in one statement. */
export interface IssuanceLookup {
  accountKeyHash: string | null;
  accountId: string | null;
  accountName: string | null;
  packages: string | null;
  botKeyHash: string | null;
  botSecretHash: string | null;
  botSecretBotId: string | null;
  botId: string | null;
  botName: string | null;
  botAccountId: string | null;
  ownerUserId: number | null;
  userId: number | null;
  userEmail: string | null;
  level: string | null;
  /** The user's membership status in the bot's account ('deactivated' reads as not found). */
  memberStatus: string | null;
}

/**
 * Looks up the three keys (active ones, by SHA-256), the account, the bot, the user and the user's
 * team level in one statement. A replaced key still in its grace period (`grace_until` > now) counts.
 * team level in one statement. It is the same statement whatever matches, so it does the same work
 * for a wrong secret as for a right one.
 */
export function lookupIssuance(
  db: Db,
  q: { accountHash: string; botKeyHash: string; botSecretHash: string; email: string; now: number },
): IssuanceLookup {
  return stmt(
    db,
    `SELECT ak.hash AS accountKeyHash, a.id AS accountId, a.name AS accountName, a.packages AS packages,
            bk.hash AS botKeyHash, bs.hash AS botSecretHash, bs.bot_id AS botSecretBotId,
            b.id AS botId, b.name AS botName, b.account_id AS botAccountId, b.owner_user_id AS ownerUserId,
            u.id AS userId, u.email AS userEmail, t.level AS level, m.status AS memberStatus
       FROM (SELECT 1)
       LEFT JOIN api_keys ak ON ak.hash = @accountHash AND ak.kind = 'account_key' AND (ak.revoked_at IS NULL OR ak.grace_until > @now)
       LEFT JOIN api_keys bk ON bk.hash = @botKeyHash AND bk.kind = 'bot_key' AND (bk.revoked_at IS NULL OR bk.grace_until > @now)
       LEFT JOIN api_keys bs ON bs.hash = @botSecretHash AND bs.kind = 'bot_secret' AND (bs.revoked_at IS NULL OR bs.grace_until > @now)
       LEFT JOIN users u ON u.email = @email
       LEFT JOIN accounts a ON a.id = ak.account_id
       LEFT JOIN bots b ON b.id = bk.bot_id
       LEFT JOIN bot_team t ON t.bot_id = b.id AND t.user_id = u.id
       LEFT JOIN memberships m ON m.account_id = b.account_id AND m.user_id = u.id`,
  ).get(q) as IssuanceLookup;
}
