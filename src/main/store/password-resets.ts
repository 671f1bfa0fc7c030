import type { Db } from './db';

/** A one-time password-reset token, stored only as its SHA-256. */
export interface PasswordResetRow {
  id: number;
  tokenHash: string;
  userId: number;
  accountId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

const SELECT = `SELECT id, token_hash AS tokenHash, user_id AS userId, account_id AS accountId, created_at AS createdAt,
                       expires_at AS expiresAt, used_at AS usedAt FROM password_resets`;

export function insertPasswordReset(db: Db, r: Omit<PasswordResetRow, 'id' | 'usedAt'>): number {
  const info = db
    .prepare('INSERT INTO password_resets (token_hash, user_id, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
    .run(r.tokenHash, r.userId, r.accountId, r.createdAt, r.expiresAt);
  return Number(info.lastInsertRowid);
}

export function findPasswordReset(db: Db, tokenHash: string): PasswordResetRow | undefined {
  return db.prepare(`${SELECT} WHERE token_hash = ?`).get(tokenHash) as PasswordResetRow | undefined;
}

/**
 * Marks a token used, only if it still is unused: returns false when another request used it first,
 * so that a token can never set two passwords.
 */
export function markPasswordResetUsed(db: Db, id: number, now: number): boolean {
  return db.prepare('UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL').run(now, id).changes === 1;
}

/** Spends every other pending token of the user: after a reset, older links stop working. */
export function spendPendingResets(db: Db, userId: number, now: number): void {
  db.prepare('UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(now, userId);
}
