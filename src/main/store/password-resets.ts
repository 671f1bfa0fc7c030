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

/** Pending reset tokens a user may hold at once: a new one spends the oldest beyond this. */
export const MAX_PENDING_RESETS = 3;

/**
 * Stores a new reset token and keeps the table bounded: expired and used rows go (they can only ever
 * read "unknown, used or expired", which a missing row reads too; the audit keeps the history), and
 * the user keeps at most MAX_PENDING_RESETS pending tokens, the newest.
 */
export function insertPasswordReset(db: Db, r: Omit<PasswordResetRow, 'id' | 'usedAt'>): number {
  return db.transaction(() => {
    db.prepare('DELETE FROM password_resets WHERE expires_at <= ? OR used_at IS NOT NULL').run(r.createdAt);
    const info = db
      .prepare(
        'INSERT INTO password_resets (token_hash, user_id, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(r.tokenHash, r.userId, r.accountId, r.createdAt, r.expiresAt);
    db.prepare(
      `DELETE FROM password_resets WHERE user_id = ? AND id NOT IN
         (SELECT id FROM password_resets WHERE user_id = ? ORDER BY id DESC LIMIT ${MAX_PENDING_RESETS})`,
    ).run(r.userId, r.userId);
    return Number(info.lastInsertRowid);
  })();
}

export const countPasswordResets = (db: Db): number =>
  (db.prepare('SELECT count(*) AS n FROM password_resets').get() as { n: number }).n;

export function findPasswordReset(db: Db, tokenHash: string): PasswordResetRow | undefined {
  return db.prepare(`${SELECT} WHERE token_hash = ?`).get(tokenHash) as PasswordResetRow | undefined;
}

/**
 * Marks a token used, only if it still is unused: returns false when another request used it first,
 * so that a token can never set two passwords.
 */
export function markPasswordResetUsed(db: Db, id: number, now: number): boolean {
  return (
    db.prepare('UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL').run(now, id).changes === 1
  );
}

/** Spends every other pending token of the user: after a reset, older links stop working. */
export function spendPendingResets(db: Db, userId: number, now: number): void {
  db.prepare('UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(now, userId);
}
