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
}

const SELECT = `SELECT id, account_id AS accountId, bot_id AS botId, kind, hash, last4,
                       created_at AS createdAt, revoked_at AS revokedAt FROM api_keys`;

export function insertApiKey(db: Db, k: Omit<ApiKeyRow, 'id' | 'revokedAt'>): number {
  const info = db
    .prepare('INSERT INTO api_keys (account_id, bot_id, kind, hash, last4, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(k.accountId, k.botId, k.kind, k.hash, k.last4, k.createdAt);
  return Number(info.lastInsertRowid);
}

/** The active key whose hash matches; the caller compares again in constant time. */
export function findActiveKeyByHash(db: Db, hash: string, kind: KeyKind): ApiKeyRow | undefined {
  return db.prepare(`${SELECT} WHERE hash = ? AND kind = ? AND revoked_at IS NULL`).get(hash, kind) as
    | ApiKeyRow
    | undefined;
}

export function listKeys(db: Db, accountId: string): ApiKeyRow[] {
  return db.prepare(`${SELECT} WHERE account_id = ? ORDER BY created_at DESC, id DESC`).all(accountId) as ApiKeyRow[];
}

export function revokeKeys(db: Db, where: { accountId: string; botId: string | null; kind: KeyKind }, now: number): number {
  return db
    .prepare(
      'UPDATE api_keys SET revoked_at = ? WHERE account_id = ? AND bot_id IS ? AND kind = ? AND revoked_at IS NULL',
    )
    .run(now, where.accountId, where.botId, where.kind).changes;
}
