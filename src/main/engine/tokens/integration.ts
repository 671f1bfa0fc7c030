import type { EngineContext } from '../context';
import { DeskError } from '@shared/errors';
import { findActiveKeyByHash } from '../../store/api-keys';
import { getAccount, type AccountRow } from '../../store/accounts';
import { insertToken } from '../../store/sso-tokens';
import { groupCommit } from '../../store/group-commit';
import { appendAudit } from '../../store/audit';
import { constantTimeEqual, sha256 } from '../crypto/hash';
import { fingerprint, TOKEN_TTL_MINUTES, TOKEN_TTL_MS } from './lifetime';
import { findIssuedToken, newVerifier, tokenOf } from './split-token';
import { requireStringFields } from './request-fields';

export interface IntegrationTokenResponse {
  Token: string;
  Expires: number;
  Scope: 'integration';
}

/**
 * `POST /authorization/integration`: trades an AccountAPIKey for a 60-minute API token of scope
 * `integration`, the one the rest of the Platform API (e.g. `GET /bots`) accepts. Stored hashed.
 * @throws DeskError 400 for a bad body; 404 `not_found` when no account matches the key.
 */
export async function issueIntegrationToken(ctx: EngineContext, body: unknown): Promise<IntegrationTokenResponse> {
  const { db } = ctx.store;
  const now = ctx.clock.now();
  const audit = (outcome: string, reason: string, accountId: string | null, detail?: unknown) =>
    appendAudit(db, {
      at: now,
      kind: 'integration.token.issue',
      accountId,
      actor: 'Platform API',
      method: 'platform-api',
      outcome,
      reason,
      detail,
    });
  let fields: { AccountAPIKey: string };
  try {
    fields = requireStringFields(body, ['AccountAPIKey'] as const);
  } catch (error) {
    audit('refused', (error as DeskError).message, null);
    throw error;
  }
  const hash = sha256(fields.AccountAPIKey);
  const key = findActiveKeyByHash(db, hash, 'account_key', now);
  const account = getAccount(db, key?.accountId ?? '');
  if (!account || !constantTimeEqual(key?.hash ?? '', hash)) {
    audit('refused', 'no account matches this AccountAPIKey', null);
    throw new DeskError('not_found', 'no account matches this AccountAPIKey', { status: 404 });
  }
  const v = newVerifier();
  const token = await groupCommit(db).run(() => {
    const id = insertToken(db, {
      hash: v.hash,
      scope: 'integration',
      accountId: account.id,
      botId: null,
      userId: null,
      issuedAt: now,
      expiresAt: now + TOKEN_TTL_MS,
    });
    audit('ok', 'integration token issued', account.id, { token: fingerprint(v.hash) });
    return tokenOf(db, id, v);
  });
  return { Token: token, Expires: TOKEN_TTL_MINUTES, Scope: 'integration' };
}

const unauthorized = (code: string, message: string) => new DeskError(code, message, { status: 401 });

/**
 * Checks an `Authorization: Bearer <token>` header for the integration scope (RFC 6750 §2.1).
 * An SSO token is refused here: its scope opens deep links and nothing else.
 * @returns the account the token was issued to.
 * @throws DeskError 401 `missing_token` | `invalid_token` | `token_expired` | `token_revoked` | `wrong_scope`.
 */
export function authorizeIntegration(ctx: EngineContext, header: string | undefined): AccountRow {
  const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match?.[1])
    throw unauthorized(
      'missing_token',
      'this endpoint needs "Authorization: Bearer <token>" with an integration token',
    );
  const { row } = findIssuedToken(ctx.store.db, match[1]);
  if (!row) throw unauthorized('invalid_token', 'the bearer token is not known');
  if (row.scope !== 'integration')
    throw unauthorized(
      'wrong_scope',
      `this is a token of scope "${row.scope}"; this endpoint needs one of scope "integration" from POST /authorization/integration`,
    );
  const now = ctx.clock.now();
  if (row.revokedAt !== null) throw unauthorized('token_revoked', 'the bearer token was revoked');
  if (now >= row.expiresAt) throw unauthorized('token_expired', 'the bearer token expired');
  const account = getAccount(ctx.store.db, row.accountId);
  if (!account) throw unauthorized('invalid_token', 'the bearer token is not known');
  return account;
}
