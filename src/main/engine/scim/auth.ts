import type { EngineContext } from '../context';
import { getAccount } from '../../store/accounts';
import { findScimConfigByHash, getScimConfig } from '../../store/scim';
import { constantTimeEqual, sha256 } from '../crypto/hash';
import { ScimError } from './errors';
import type { Db } from '../../store/db';

/**
 * Tokens of the console's self-check ("Test provisioning"): random, 256 bits, held in memory only for
 * the minute the check runs, for one account, then forgotten. They pass the same gates as the stored token.
 */
const selfCheckTokens = new WeakMap<Db, Map<string, { accountId: string; expiresAt: number }>>();

export function issueSelfCheckToken(db: Db, accountId: string, token: string, now: number): () => void {
  let byDb = selfCheckTokens.get(db);
  if (!byDb) selfCheckTokens.set(db, (byDb = new Map()));
  const hash = sha256(token);
  byDb.set(hash, { accountId, expiresAt: now + 60_000 });
  return () => byDb.delete(hash);
}

/**
 * The account of a SCIM request, from `Authorization: Bearer <token>` (RFC 6750 §2.1). The token is
 * looked up by its SHA-256 (the only form stored) and compared again in constant time. A missing,
 * malformed, unknown or revoked token is 401; a known token of an account whose provisioning is off,
 * or that lacks the Enterprise plan or the Enterprise toolkit, is 403 with the reason.
 * @throws ScimError 401 | 403.
 */
export function authenticateScim(
  ctx: EngineContext,
  header: string | undefined,
): { accountId: string; accountName: string } {
  const m = /^Bearer\s+([\x21-\x7e]{1,512})\s*$/i.exec(header ?? '');
  if (!m)
    throw new ScimError(
      401,
      'send the provisioning token of Settings › Provisioning as "Authorization: Bearer <token>"',
    );
  const hash = sha256(m[1]!);
  const temp = selfCheckTokens.get(ctx.store.db)?.get(hash);
  const tempCfg = temp && temp.expiresAt > ctx.clock.now() ? getScimConfig(ctx.store.db, temp.accountId) : undefined;
  const cfg = tempCfg ? { ...tempCfg, tokenHash: hash } : findScimConfigByHash(ctx.store.db, hash);
  if (!cfg || !cfg.tokenHash || !constantTimeEqual(cfg.tokenHash, hash))
    throw new ScimError(
      401,
      'the bearer token is not a provisioning token of any account (revoked or rotated tokens stop working at once)',
    );
  const account = getAccount(ctx.store.db, cfg.accountId);
  if (!account) throw new ScimError(401, 'the bearer token is not a provisioning token of any account');
  if (!cfg.enabled)
    throw new ScimError(403, `provisioning is switched off for ${account.name} (Settings › Provisioning)`);
  if (account.plan !== 'enterprise')
    throw new ScimError(403, `provisioning needs the Enterprise plan; ${account.name} is on ${account.plan}`);
  if (!account.packages.includes('enterprise-toolkit'))
    throw new ScimError(403, `provisioning needs the Enterprise toolkit package, which ${account.name} does not have`);
  return { accountId: account.id, accountName: account.name };
}
