import type { EngineContext } from '../context';
import { DeskError } from '@shared/errors';
import { findAuthSessionByHash, revokeAuthSession, type AuthSessionRow } from '../../store/auth-sessions';
import { getUser } from '../../store/users';
import { getAccount } from '../../store/accounts';
import { constantTimeEqual, sha256 } from '../crypto/hash';

export interface SessionInfo {
  user: { email: string; name: string };
  account: { id: string; name: string };
  method: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * The live session a bearer token names. Only the token's SHA-256 is stored; the stored hash is
 * compared again in constant time.
 * @throws DeskError 401 `invalid_session` — unknown, expired (with when) or ended (with when).
 */
function liveSession(ctx: EngineContext, token: string): AuthSessionRow {
  const hash = sha256(token);
  const row = findAuthSessionByHash(ctx.store.db, hash);
  if (!row || !constantTimeEqual(row.tokenHash, hash))
    throw new DeskError('invalid_session', 'unknown session token', { status: 401 });
  const now = ctx.clock.now();
  if (row.revokedAt !== null)
    throw new DeskError('invalid_session', `this session ended at ${new Date(row.revokedAt).toISOString()}`, {
      status: 401,
    });
  if (row.expiresAt <= now)
    throw new DeskError('invalid_session', `this session expired at ${new Date(row.expiresAt).toISOString()}`, {
      status: 401,
    });
  return row;
}

/** Who a session token signs in: user, account, how, until when. */
export function sessionInfo(ctx: EngineContext, token: string): SessionInfo {
  const row = liveSession(ctx, token);
  const user = getUser(ctx.store.db, row.userId)!;
  const account = getAccount(ctx.store.db, row.accountId)!;
  return {
    user: { email: user.email, name: user.name },
    account: { id: account.id, name: account.name },
    method: row.method,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

/** Ends a session; audited. */
export function endSession(ctx: EngineContext, token: string): void {
  const row = liveSession(ctx, token);
  revokeAuthSession(ctx.store.db, row.id, ctx.clock.now());
  const email = getUser(ctx.store.db, row.userId)?.email ?? null;
  ctx.audit({
    kind: 'auth.logout',
    accountId: row.accountId,
    email,
    actor: 'api',
    method: row.method,
    outcome: 'ok',
    reason: 'session ended by its holder',
  });
}
