import type { EngineContext } from '../context';
import { DeskError } from '../../../shared/errors';
import { normalizeEmail } from '../../../shared/domain';
import { findActiveKeyByHash } from '../../store/api-keys';
import { getAccount } from '../../store/accounts';
import { getBot, teamLevel } from '../../store/bots';
import { findUserByEmail } from '../../store/users';
import { insertToken } from '../../store/sso-tokens';
import { appendAudit } from '../../store/audit';
import { constantTimeEqual, randomToken, sha256 } from '../crypto/hash';
import { fingerprint, TOKEN_BYTES, TOKEN_TTL_MINUTES, TOKEN_TTL_MS } from './lifetime';
import { requireEmail, requireStringFields } from './request-fields';

export interface SsoTokenResponse {
  Home: string;
  Token: string;
  Expires: number;
}

const FIELDS = ['AccountAPIKey', 'BotAPIKey', 'BotAPISecret', 'Email'] as const;

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
 * hashes, the three key lookups, the user, account, bot and team lookups, and one audit insert, so
 * that a wrong key or secret takes as long as a right one that names something missing.
 *
 * @returns `{Home, Token, Expires}`; `Home` is `<apiBase>/auth/sso/<token>`, `Expires` is in minutes.
 * @throws DeskError 400 `invalid_body` | `missing_field` | `invalid_field` | `invalid_email` |
 *   `package_missing`; 404 `not_found` for the account, the bot (wrong key or secret included) or the user.
 */
export function issueSsoToken(ctx: EngineContext, body: unknown, apiBase: string): SsoTokenResponse {
  const { db } = ctx.store;
  const started = performance.now();
  const now = ctx.clock.now();
  const refuse = (error: DeskError, accountId: string | null, email: string | null, detail: Record<string, unknown> = {}): never => {
    auditSsoRefusal(ctx, error, { at: now, accountId, email, durationMs: performance.now() - started, detail });
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
  const accountKey = findActiveKeyByHash(db, accountHash, 'account_key');
  const botKey = findActiveKeyByHash(db, botKeyHash, 'bot_key');
  const botSecret = findActiveKeyByHash(db, botSecretHash, 'bot_secret');
  const user = findUserByEmail(db, email);
  const account = getAccount(db, accountKey?.accountId ?? '');
  const bot = getBot(db, botKey?.botId ?? '');
  const level = teamLevel(db, bot?.id ?? '', user?.id ?? -1);

  // The index lookup found rows by hash; compare again in constant time and evaluate every condition
  // before branching, so the branches below cost the same.
  const accountOk = account !== undefined && constantTimeEqual(accountKey?.hash ?? '', accountHash);
  const botOk =
    bot !== undefined &&
    constantTimeEqual(botKey?.hash ?? '', botKeyHash) &&
    constantTimeEqual(botSecret?.hash ?? '', botSecretHash) &&
    botSecret?.botId === bot.id &&
    bot.accountId === account?.id;
  const isOwner = user !== undefined && bot?.ownerUserId === user.id;
  const userOk = isOwner || level !== undefined;

  if (!accountOk) return refuse(new DeskError('not_found', NOT_FOUND.account, { status: 404 }), null, email, { missing: 'account' });
  if (!account.packages.includes('sso-login'))
    return refuse(
      new DeskError('package_missing', `account "${account.name}" does not have the SSO Login package, which Platform SSO needs`, {
        status: 400,
      }),
      account.id,
      email,
    );
  if (!botOk) return refuse(new DeskError('not_found', NOT_FOUND.bot, { status: 404 }), account.id, email, { missing: 'bot' });
  if (!userOk || !user)
    return refuse(new DeskError('not_found', NOT_FOUND.user, { status: 404 }), account.id, email, { missing: 'user', bot: bot.id });

  const token = randomToken(TOKEN_BYTES);
  const hash = sha256(token);
  db.transaction(() => {
    insertToken(db, {
      hash,
      scope: 'sso',
      accountId: account.id,
      botId: bot.id,
      userId: user.id,
      issuedAt: now,
      expiresAt: now + TOKEN_TTL_MS,
    });
    appendAudit(db, {
      at: now,
      kind: 'sso.token.issue',
      accountId: account.id,
      email: user.email,
      actor: 'Platform API',
      method: 'platform-sso',
      outcome: 'ok',
      reason: `token for ${bot.name} as ${isOwner ? 'owner' : `${level} on the team`}`,
      durationMs: Math.round(performance.now() - started),
      detail: { token: fingerprint(hash), bot: bot.id, expiresAt: now + TOKEN_TTL_MS },
    });
  })();
  return { Home: `${apiBase}/auth/sso/${token}`, Token: token, Expires: TOKEN_TTL_MINUTES };
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
