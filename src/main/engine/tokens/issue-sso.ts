import type { EngineContext } from '../context';
import { DeskError } from '@shared/errors';
import { normalizeEmail } from '@shared/domain';
import { insertToken, lookupIssuance, type IssuanceLookup } from '../../store/sso-tokens';
import { groupCommit } from '../../store/group-commit';
import { appendAudit } from '../../store/audit';
import { touchKeys } from '../../store/api-keys';
import type { Db } from '../../store/db';
import { constantTimeEqual, sha256 } from '../crypto/hash';
import { fingerprint, TOKEN_TTL_MINUTES, TOKEN_TTL_MS } from './lifetime';
import { newVerifier, tokenOf } from './split-token';
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

  let fields: Record<(typeof FIELDS)[number], string>;
  let email: string;
  try {
    fields = requireStringFields(body, FIELDS);
    email = normalizeEmail(requireEmail(fields.Email, 'Email'));
  } catch (error) {
    await commit.run(() =>
      auditSsoRefusal(ctx, error as DeskError, { at: now, durationMs: performance.now() - started }),
    );
    throw error;
  }

  const accountHash = sha256(fields.AccountAPIKey);
  const botKeyHash = sha256(fields.BotAPIKey);
  const botSecretHash = sha256(fields.BotAPISecret);
  const v = newVerifier();
  // The lookup, the decision and the write run as one step of the group commit's transaction: one
  // transaction per request (or per batch) instead of a read transaction and then a write one, and what
  // the decision read cannot change before the token is stored. A refusal is returned, not thrown, so
  // that its audit event commits with the batch.
  const outcome = await commit.run((): { token: string } | { refused: DeskError } => {
    const found = lookupIssuance(db, { accountHash, botKeyHash, botSecretHash, email, now });
    const decided = decide(found, { accountHash, botKeyHash, botSecretHash });
    if ('refused' in decided) {
      const { error, accountId, detail } = decided.refused;
      auditSsoRefusal(ctx, error, { at: now, accountId, email, durationMs: performance.now() - started, detail });
      return { refused: error };
    }
    const { accountId, botId, userId, standing } = decided;
    const id = insertToken(db, {
      hash: v.hash,
      scope: 'sso',
      accountId,
      botId,
      userId,
      issuedAt: now,
      expiresAt: now + TOKEN_TTL_MS,
    });
    const used = keysToTouch(db, [accountHash, botKeyHash, botSecretHash], now);
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
      detail: { token: fingerprint(v.hash), bot: botId, expiresAt: now + TOKEN_TTL_MS },
    });
    return { token: tokenOf(db, id, v) };
  });
  if ('refused' in outcome) throw outcome.refused;
  return { Home: `${apiBase}/auth/sso/${outcome.token}`, Token: outcome.token, Expires: TOKEN_TTL_MINUTES };
}

type Decision =
  | { accountId: string; botId: string; userId: number; standing: string }
  | { refused: { error: DeskError; accountId: string | null; detail: Record<string, unknown> } };

/**
 * Whether the lookup allows a token, and if not, the refusal. The index found the rows by hash; the
 * hashes are compared again in constant time, and every condition is evaluated before branching, so
 * that each refusal costs the same.
 */
function decide(
  found: IssuanceLookup,
  q: { accountHash: string; botKeyHash: string; botSecretHash: string },
): Decision {
  const accountOk = found.accountId !== null && constantTimeEqual(found.accountKeyHash ?? NO_HASH, q.accountHash);
  const keyOk = constantTimeEqual(found.botKeyHash ?? NO_HASH, q.botKeyHash);
  const secretOk = constantTimeEqual(found.botSecretHash ?? NO_HASH, q.botSecretHash);
  const botOk =
    found.botId !== null &&
    keyOk &&
    secretOk &&
    found.botSecretBotId === found.botId &&
    found.botAccountId === found.accountId;
  const isOwner = found.userId !== null && found.ownerUserId === found.userId;
  // A membership deactivated by provisioning (or an admin) reads as not found, like any user who may not enter.
  const userOk = found.userId !== null && (isOwner || found.level !== null) && found.memberStatus !== 'deactivated';
  const hasPackage = found.packages !== null && (JSON.parse(found.packages) as string[]).includes('sso-login');
  const refused = (error: DeskError, accountId: string | null, detail: Record<string, unknown> = {}): Decision => ({
    refused: { error, accountId, detail },
  });

  if (!accountOk || found.accountId === null)
    return refused(new DeskError('not_found', NOT_FOUND.account, { status: 404 }), null, { missing: 'account' });
  const accountId = found.accountId;
  if (!hasPackage)
    return refused(
      new DeskError(
        'package_missing',
        `account "${found.accountName}" does not have the SSO Login package, which Platform SSO needs`,
        { status: 400 },
      ),
      accountId,
    );
  if (!botOk || found.botId === null)
    return refused(new DeskError('not_found', NOT_FOUND.bot, { status: 404 }), accountId, { missing: 'bot' });
  const botId = found.botId;
  if (!userOk || found.userId === null)
    // The caller reads "not found" whatever the cause; the audit (and Try it, which shows it) names it.
    return refused(new DeskError('not_found', NOT_FOUND.user, { status: 404 }), accountId, {
      missing: 'user',
      bot: botId,
      why:
        found.userId === null
          ? 'no user has this email'
          : found.memberStatus === 'deactivated'
            ? `${found.userEmail} is deactivated in account "${found.accountName}"`
            : `${found.userEmail} is neither the owner of this bot nor on its team`,
    });
  return { accountId, botId, userId: found.userId, standing: isOwner ? 'owner' : `${found.level} on the team` };
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
  o: {
    at?: number;
    accountId?: string | null;
    email?: string | null;
    durationMs?: number;
    detail?: Record<string, unknown>;
  } = {},
): void {
  appendAudit(ctx.store.db, {
    at: o.at ?? ctx.clock.now(),
    kind: 'sso.token.issue',
    accountId: o.accountId ?? null,
    email: o.email ?? null,
    actor: 'Platform API',
    method: 'platform-sso',
    outcome: 'refused',
    // The real reason (deactivated, not on the team) for the audit; the caller was told "not found".
    reason: typeof o.detail?.why === 'string' ? `${o.detail.why} (answered: ${error.message})` : error.message,
    durationMs: o.durationMs === undefined ? null : Math.round(o.durationMs),
    detail: { status: error.status, code: error.code, ...o.detail },
  });
}
