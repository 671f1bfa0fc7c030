import type { Db } from '../../store/db';
import { getAccount } from '../../store/accounts';
import { getUser } from '../../store/users';
import { endOidcSession, findOidcSession, insertOidcSession } from '../../store/oidc-sessions';
import { appendAudit } from '../../store/audit';
import type { SessionView } from '@shared/contract/oidc';
import { notFound } from '@shared/errors';
import { randomToken, sha256 } from '../crypto/hash';
import type { SecretBox } from '../crypto/secret-box';

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * Opens a session for a user in an account after "Sign in with SSO". The session id (256 random
 * bits) is returned once and stored only as its SHA-256; the ID token is kept encrypted, only as the
 * `id_token_hint` for RP-initiated logout.
 */
export function openSession(
  db: Db,
  secrets: SecretBox,
  s: { userId: number; accountId: string; issuer: string; idToken: string | undefined; now: number },
): SessionView {
  const id = randomToken(32);
  const expiresAt = s.now + SESSION_TTL_MS;
  insertOidcSession(db, {
    idHash: sha256(id),
    userId: s.userId,
    accountId: s.accountId,
    issuer: s.issuer,
    idTokenEnc: s.idToken ? secrets.encrypt(s.idToken) : null,
    createdAt: s.now,
    expiresAt,
  });
  const user = getUser(db, s.userId)!;
  const account = getAccount(db, s.accountId)!;
  return {
    id,
    email: user.email,
    name: user.name,
    account: account.id,
    accountName: account.name,
    issuer: s.issuer,
    createdAt: s.now,
    expiresAt,
  };
}

/**
 * Ends a session locally. Returns what RP-initiated logout needs (issuer, account, ID token) when
 * the session was live, null when it had already ended.
 * @throws DeskError `not_found` for an unknown session id.
 */
export function closeSession(
  db: Db,
  secrets: SecretBox,
  sessionId: string,
  now: number,
): { accountId: string; issuer: string; idToken: string | null; email: string } | null {
  const hash = sha256(sessionId);
  const row = findOidcSession(db, hash);
  if (!row) throw notFound('no such session');
  if (row.endedAt !== null) return null;
  const idToken = row.idTokenEnc ? secrets.decrypt(row.idTokenEnc) : null;
  endOidcSession(db, hash, now);
  const email = getUser(db, row.userId)?.email ?? '';
  appendAudit(db, {
    at: now,
    kind: 'sso.logout',
    accountId: row.accountId,
    email,
    method: 'sso',
    outcome: 'ok',
    reason: 'session ended locally',
  });
  return { accountId: row.accountId, issuer: row.issuer, idToken, email };
}
