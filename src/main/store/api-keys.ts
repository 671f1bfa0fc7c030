import type { Db } from './db';

export type KeyKind = 'account_key' | 'bot_key' | 'bot_secret';

export interface ApiKeyRow {
  id: number;
  accountId: string;
  botId: string | null;
  kind: KeyKind;
  hash: string;
  last4: string;
  createdAt: number;
  revokedAt: number | null;
  /** A replaced key keeps working until then (null: it stopped when revoked_at was set). */
  graceUntil: number | null;
  lastUsedAt: number | null;
}

const SELECT = `SELECT id, account_id AS accountId, bot_id AS botId, kind, hash, last4,
                       created_at AS createdAt, revoked_at AS revokedAt,
                       grace_until AS graceUntil, last_used_at AS lastUsedAt FROM api_keys`;

export function insertApiKey(db: Db, k: Omit<ApiKeyRow, 'id' | 'revokedAt' | 'graceUntil' | 'lastUsedAt'>): number {
  const info = db
    .prepare('INSERT INTO api_keys (account_id, bot_id, kind, hash, last4, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(k.accountId, k.botId, k.kind, k.hash, k.last4, k.createdAt);
  return Number(info.lastInsertRowid);
}

/** A key that works at `now`: active, or replaced but still in its grace period. */
export const KEY_WORKS = (alias: string, now: string): string =>
  `(${alias}.revoked_at IS NULL OR ${alias}.grace_until > ${now})`;

/** The working key whose hash matches (active or in its grace period); the caller compares again in constant time. */
export function findActiveKeyByHash(db: Db, hash: string, kind: KeyKind, now: number): ApiKeyRow | undefined {
  return db.prepare(`${SELECT} k WHERE hash = ? AND kind = ? AND ${KEY_WORKS('k', '?')}`).get(hash, kind, now) as
    ApiKeyRow | undefined;
}

export function listKeys(db: Db, accountId: string): ApiKeyRow[] {
  return db.prepare(`${SELECT} WHERE account_id = ? ORDER BY created_at DESC, id DESC`).all(accountId) as ApiKeyRow[];
}

/**
 * Replaces the active key of a slot: it keeps working until `graceUntil` (null: it stops now). Keys
 * already in a grace period keep theirs. Returns how many active keys were replaced (0 or 1).
 */
export function retireActiveKey(
  db: Db,
  where: { accountId: string; botId: string | null; kind: KeyKind },
  now: number,
  graceUntil: number | null,
): number {
  return db
    .prepare(
      'UPDATE api_keys SET revoked_at = ?, grace_until = ? WHERE account_id = ? AND bot_id IS ? AND kind = ? AND revoked_at IS NULL',
    )
    .run(now, graceUntil, where.accountId, where.botId, where.kind).changes;
}

/**
 * Revokes every key of a slot that still works (the active one and any in a grace period): they stop now.
 * Returns how many active keys there were.
 */
export function revokeKeys(
  db: Db,
  where: { accountId: string; botId: string | null; kind: KeyKind },
  now: number,
): number {
  return db.transaction(() => {
    const active = db
      .prepare(
        'UPDATE api_keys SET revoked_at = ? WHERE account_id = ? AND bot_id IS ? AND kind = ? AND revoked_at IS NULL',
      )
      .run(now, where.accountId, where.botId, where.kind).changes;
    db.prepare(
      'UPDATE api_keys SET grace_until = NULL WHERE account_id = ? AND bot_id IS ? AND kind = ? AND grace_until > ?',
    ).run(where.accountId, where.botId, where.kind, now);
    return active;
  })();
}

/** Records that these keys (by hash) authorized a request at `now`. */
export function touchKeys(db: Db, hashes: readonly string[], now: number): void {
  const update = db.prepare('UPDATE api_keys SET last_used_at = ? WHERE hash = ?');
  for (const h of hashes) update.run(now, h);
}
