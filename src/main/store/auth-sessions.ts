import type { Db } from './db';

/** A session of the platform's own login; the token itself is never stored, only its SHA-256. */
export interface AuthSessionRow {
  id: number;
  tokenHash: string;
  userId: number;
  accountId: string;
  method: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

const SELECT = `SELECT id, token_hash AS tokenHash, user_id AS userId, account_id AS accountId, method,
                       created_at AS createdAt, expires_at AS expiresAt, revoked_at AS revokedAt FROM auth_sessions`;

export function insertAuthSession(db: Db, s: Omit<AuthSessionRow, 'id' | 'revokedAt'>): number {
  const info = db
    .prepare(
      'INSERT INTO auth_sessions (token_hash, user_id, account_id, method, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(s.tokenHash, s.userId, s.accountId, s.method, s.createdAt, s.expiresAt);
  return Number(info.lastInsertRowid);
}

export function findAuthSessionByHash(db: Db, tokenHash: string): AuthSessionRow | undefined {
  return db.prepare(`${SELECT} WHERE token_hash = ?`).get(tokenHash) as AuthSessionRow | undefined;
}

export function revokeAuthSession(db: Db, id: number, now: number): void {
  db.prepare('UPDATE auth_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
}
