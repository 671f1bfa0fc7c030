import type { Db } from './db';

/**
 * Per account, what makes switching SSO on safe: the last Test connection and the last test sign-in,
 * each with the fingerprint of the configuration it ran on, and the owner break-glass switch.
 */
export interface EnforcementRow {
  accountId: string;
  /** `unconfirmed`: why the client is not confirmed (the IdP only showed its login page); null when it is. */
  test: { fingerprint: string; ok: boolean; at: number; summary: string; unconfirmed: string | null } | null;
  signin: { fingerprint: string; at: number; email: string } | null;
  ownerPassword: { on: boolean; at: number | null; by: string | null };
}

interface Raw {
  account_id: string;
  test_fingerprint: string | null;
  test_ok: number | null;
  test_at: number | null;
  test_summary: string | null;
  test_unconfirmed: string | null;
  signin_fingerprint: string | null;
  signin_at: number | null;
  signin_email: string | null;
  owner_password: number;
  owner_password_at: number | null;
  owner_password_by: string | null;
}

export function getEnforcement(db: Db, accountId: string): EnforcementRow {
  const r = db.prepare('SELECT * FROM sso_enforcement WHERE account_id = ?').get(accountId) as Raw | undefined;
  return {
    accountId,
    test:
      r?.test_fingerprint && r.test_at !== null
        ? {
            fingerprint: r.test_fingerprint,
            ok: r.test_ok === 1,
            at: r.test_at,
            summary: r.test_summary ?? '',
            unconfirmed: r.test_unconfirmed ?? null,
          }
        : null,
    signin:
      r?.signin_fingerprint && r.signin_at !== null
        ? { fingerprint: r.signin_fingerprint, at: r.signin_at, email: r.signin_email ?? '' }
        : null,
    ownerPassword: { on: r?.owner_password === 1, at: r?.owner_password_at ?? null, by: r?.owner_password_by ?? null },
  };
}

const ensureRow = (db: Db, accountId: string): void => {
  db.prepare('INSERT INTO sso_enforcement (account_id) VALUES (?) ON CONFLICT(account_id) DO NOTHING').run(accountId);
};

export function recordTest(
  db: Db,
  accountId: string,
  t: { fingerprint: string; ok: boolean; at: number; summary: string; unconfirmed?: string | null },
): void {
  ensureRow(db, accountId);
  db.prepare(
    'UPDATE sso_enforcement SET test_fingerprint = ?, test_ok = ?, test_at = ?, test_summary ' +
      '= ?, test_unconfirmed = ? WHERE account_id = ?',
  ).run(t.fingerprint, t.ok ? 1 : 0, t.at, t.summary, t.unconfirmed ?? null, accountId);
}

/**
 * Save stored the very draft the last Test connection ran on (its typed secret or new key became the
 * stored one): the result now stands for the saved settings' fingerprint (issue 26 §7).
 */
export function rebaseTest(db: Db, accountId: string, from: string, to: string): void {
  db.prepare('UPDATE sso_enforcement SET test_fingerprint = ? WHERE account_id = ? AND test_fingerprint = ?').run(
    to,
    accountId,
    from,
  );
}

export function recordTestSignin(
  db: Db,
  accountId: string,
  s: { fingerprint: string; at: number; email: string },
): void {
  ensureRow(db, accountId);
  db.prepare(
    'UPDATE sso_enforcement SET signin_fingerprint = ?, signin_at = ?, signin_email = ? WHERE account_id = ?',
  ).run(s.fingerprint, s.at, s.email, accountId);
}

export function setOwnerPassword(db: Db, accountId: string, on: boolean, by: string, at: number): void {
  ensureRow(db, accountId);
  db.prepare(
    'UPDATE sso_enforcement SET owner_password = ?, owner_password_at = ?, owner_password_by = ? WHERE account_id = ?',
  ).run(on ? 1 : 0, at, by, accountId);
}

/** Whether owners of an account keep their password while SSO is enforced (off unless switched on). */
export const ownerPasswordOn = (db: Db, accountId: string): boolean =>
  (
    db.prepare('SELECT owner_password FROM sso_enforcement WHERE account_id = ?').get(accountId) as
      { owner_password: number } | undefined
  )?.owner_password === 1;
