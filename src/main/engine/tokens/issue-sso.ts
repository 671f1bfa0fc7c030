import type { EngineContext } from '../context';
import { DeskError } from '../../../shared/errors';
import { normalizeEmail } from '../../../shared/domain';
import { insertToken, lookupIssuance } from '../../store/sso-tokens';
import { groupCommit } from '../../store/group-commit';
import { appendAudit } from '../../store/audit';
import { touchKeys } from '../../store/api-keys';
import type { Db } from '../../store/db';
import { constantTimeEqual, randomToken, sha256 } from '../crypto/hash';
import { fingerprint, TOKEN_BYTES, TOKEN_TTL_MINUTES, TOKEN_TTL_MS } from './lifetime';
import { requireEmail, requireStringFields } from './request-fields';

export interface SsoTokenResponse {
  Home: string;
  Token: string;
  Expires: number;
}

const FIELDS = ['AccountAPIKey', 'BotAPIKey', 'BotAPISecret', 'Email'] as const;

// Stands in for a hash that was not found, at a hash's length, so every compare costs the same.
const NO_HASH = '0'.repeat(64);

// One message per thing that was not found. A wrong key or secret is "not found" too: the caller
// cannot tell an unknown bot from a known bot with the wrong secret, nor from another account's bot.
const NOT_FOUND = {
  account: 'no account matches this AccountAPIKey',
  bot: 'no bot of this account matches this BotAPIKey and BotAPISecret',
  user: 'no user with this email is the owner of this bot or on its team',
} as const;

/**
 * `POST /authorization/sso`: issues a 60-minute, `sso`-scoped token that signs `Email` into the bot's
 * workspace. The body must already be parsed JSON.
 *
 * Every request that gets past field validation does the same work whatever it finds: three SHA-256
 * hashes, one lookup statement (keys, account, bot, user, team level), three constant-time compares
 * and one audited write, so that a wrong key or secret takes as long as a right one that names
 * something missing. Writes go through the store's group commit; the answer waits for the commit.
 *
 * @returns `{Home, Token, Expires}`; `Home` is `<apiBase>/auth/sso/<token>`, `Expires` is in minutes.
 * @throws DeskError 400 `invalid_body` | `missing_field` | `invalid_field` | `invalid_email` |
 *   `package_missing`; 404 `not_found` for the account, the bot (wrong key or secret included) or the user.
 */
export async function issueSsoToken(ctx: EngineContext, body: unknown, apiBase: string): Promise<SsoTokenResponse> {
  const { db } = ctx.store;
  const started = performance.now();
  const now = ctx.clock.now();
  const commit = groupCommit(db);
  const refuse = async (error: DeskError, accountId: string | null, email: string | null, detail: Record<string, unknown> = {}): Promise<never> => {
    const durationMs = performance.now() - started;
    await commit.run(() => auditSsoRefusal(ctx, error, { at: now, accountId, email, durationMs, detail }));
    throw error;
  };

  let fields: Record<(typeof FIELDS)[number], string>;
  let email: string;
  try {
    fields = requireStringFields(body, FIELDS);
    email = normalizeEmail(requireEmail(fields.Email, 'Email'));
  } catch (error) {
    return refuse(error as DeskError, null, null);
  }

  const accountHash = sha256(fields.AccountAPIKey);
  const botKeyHash = sha256(fields.BotAPIKey);
  const botSecretHash = sha256(fields.BotAPISecret);
  const found = lookupIssuance(db, { accountHash, botKeyHash, botSecretHash, email, now });

  // The index found the rows by hash; compare again in constant time, and evaluate every condition
  // before branching, so that each refusal costs the same.
  const accountOk = found.accountId !== null && constantTimeEqual(found.accountKeyHash ?? NO_HASH, accountHash);
  const keyOk = constantTimeEqual(found.botKeyHash ?? NO_HASH, botKeyHash);
  const secretOk = constantTimeEqual(found.botSecretHash ?? NO_HASH, botSecretHash);
  const botOk = found.botId !== null && keyOk && secretOk && found.botSecretBotId === found.botId && found.botAccountId === found.accountId;
  const isOwner = found.userId !== null && found.ownerUserId === found.userId;
  // A membership deactivated by provisioning (or an admin) reads as not found, like any user who may not enter.
  const userOk = found.userId !== null && (isOwner || found.level !== null) && found.memberStatus !== 'deactivated';
  const hasPackage = found.packages !== null && (JSON.parse(found.packages) as string[]).includes('sso-login');

  if (!accountOk || found.accountId === null) return refuse(new DeskError('not_found', NOT_FOUND.account, { status: 404 }), null, email, { missing: 'account' });
  const accountId = found.accountId;
  if (!hasPackage)
    return refuse(
      new DeskError('package_missing', `account "${found.accountName}" does not have the SSO Login package, which Platform SSO needs`, { status: 400 }),
      accountId,
      email,
    );
  if (!botOk || found.botId === null) return refuse(new DeskError('not_found', NOT_FOUND.bot, { status: 404 }), accountId, email, { missing: 'bot' });
  const botId = found.botId;
  if (!userOk || found.userId === null)
    return refuse(new DeskError('not_found', NOT_FOUND.user, { status: 404 }), accountId, email, { missing: 'user', bot: botId });
  const userId = found.userId;

  const token = randomToken(TOKEN_BYTES);
  const hash = sha256(token);
  const standing = isOwner ? 'owner' : `${found.level} on the team`;
  const used = keysToTouch(db, [accountHash, botKeyHash, botSecretHash], now);
  await commit.run(() => {
    insertToken(db, { hash, scope: 'sso', accountId, botId, userId, issuedAt: now, expiresAt: now + TOKEN_TTL_MS });
    if (used.length) touchKeys(db, used, now);
    appendAudit(db, {
      at: now,
      kind: 'sso.token.issue',
      accountId,
      email: found.userEmail,
      actor: 'Platform API',
      method: 'platform-sso',
      outcome: 'ok',
      reason: `token for ${found.botName} as ${standing}`,
      durationMs: Math.round(performance.now() - started),
      detail: { token: fingerprint(hash), bot: botId, expiresAt: now + TOKEN_TTL_MS },
    });
  });
  return { Home: `${apiBase}/auth/sso/${token}`, Token: token, Expires: TOKEN_TTL_MINUTES };
}

/** A key's last use is written at most this often: the console shows minutes, the hot path stays one write. */
export const LAST_USED_EVERY_MS = 60_000;
const lastWritten = new WeakMap<Db, Map<string, number>>();

/** The keys (by hash) whose last use is older than a minute in the store, marked as written now. */
function keysToTouch(db: Db, hashes: string[], now: number): string[] {
  let seen = lastWritten.get(db);
  if (!seen) lastWritten.set(db, (seen = new Map()));
  const due = hashes.filter((h) => {
    const last = seen.get(h);
    return last === undefined || now - last >= LAST_USED_EVERY_MS || now < last;
  });
  for (const h of due) seen.set(h, now);
  return due;
}

/** The audit event of a refused `POST /authorization/sso` (also used by the route for unreadable bodies). */
export function auditSsoRefusal(
  ctx: EngineContext,
  error: DeskError,
  o: { at?: number; accountId?: string | null; email?: string | null; durationMs?: number; detail?: Record<string, unknown> } = {},
): void {
  appendAudit(ctx.store.db, {
    at: o.at ?? ctx.clock.now(),
    kind: 'sso.token.issue',
    accountId: o.accountId ?? null,
    email: o.email ?? null,
    actor: 'Platform API',
    method: 'platform-sso',
    outcome: 'refused',
    reason: error.message,
    durationMs: o.durationMs === undefined ? null : Math.round(o.durationMs),
    detail: { status: error.status, code: error.code, ...o.detail },
  });
}
