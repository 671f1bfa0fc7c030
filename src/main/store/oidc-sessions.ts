import type { Db } from './db';

/** A session made by "Sign in with SSO"; the id only as a hash, the ID token only encrypted. */
export interface OidcSessionRow {
  idHash: string;
  userId: number;
  accountId: string;
  issuer: string;
  idTokenEnc: string | null;
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
}

interface RawSession {
  id_hash: string;
  user_id: number;
  account_id: string;
  issuer: string;
  id_token_enc: string | null;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

export function insertOidcSession(db: Db, s: Omit<OidcSessionRow, 'endedAt'>): void {
  db.prepare(
    `INSERT INTO oidc_sessions (id_hash, user_id, account_id, issuer, id_token_enc, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.idHash, s.userId, s.accountId, s.issuer, s.idTokenEnc, s.createdAt, s.expiresAt);
}

export function findOidcSession(db: Db, idHash: string): OidcSessionRow | undefined {
  const r = db.prepare('SELECT * FROM oidc_sessions WHERE id_hash = ?').get(idHash) as RawSession | undefined;
  return (
    r && {
      idHash: r.id_hash,
      userId: r.user_id,
      accountId: r.account_id,
      issuer: r.issuer,
      idTokenEnc: r.id_token_enc,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      endedAt: r.ended_at,
    }
  );
}

/** Ends a session and forgets its ID token; false when it was already ended or unknown. */
export function endOidcSession(db: Db, idHash: string, at: number): boolean {
  return (
    db
      .prepare('UPDATE oidc_sessions SET ended_at = ?, id_token_enc = NULL WHERE id_hash = ? AND ended_at IS NULL')
      .run(at, idHash).changes === 1
  );
}

/** Points every OIDC config that used one issuer at another (the embedded IdP moved to a new port). */
export function repointOidcIssuer(db: Db, from: string, to: string): number {
  return db.prepare('UPDATE sso_oidc SET issuer = ? WHERE issuer = ?').run(to, from).changes;
}
