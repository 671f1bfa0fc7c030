import type { Db } from '../../store/db';
import { getAccount, listAccounts } from '../../store/accounts';
import { getBot, listBots } from '../../store/bots';
import {
  insertApiKey,
  listKeys,
  retireActiveKey,
  revokeKeys,
  type ApiKeyRow,
  type KeyKind,
} from '../../store/api-keys';
import { appendAudit } from '../../store/audit';
import { DeskError, invalidInput, notFound } from '@shared/errors';
import { randomToken, sha256 } from '../crypto/hash';

export interface KeyInfo {
  last4: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** Replaced keys of this slot that still work until their graceUntil. */
  inGrace: Array<{ last4: string; replacedAt: number; graceUntil: number; lastUsedAt: number | null }>;
}

export interface KeysOverview {
  accounts: Array<{
    id: string;
    name: string;
    accountKey: KeyInfo | null;
    revoked: number;
    bots: Array<{ id: string; name: string; key: KeyInfo | null; secret: KeyInfo | null }>;
  }>;
}

const KIND_LABEL: Record<KeyKind, string> = {
  account_key: 'AccountAPIKey',
  bot_key: 'BotAPIKey',
  bot_secret: 'BotAPISecret',
};
const PREFIX: Record<KeyKind, string> = { account_key: 'acc', bot_key: 'bot', bot_secret: 'sec' };

const info = (k: ApiKeyRow | undefined, grace: ApiKeyRow[]): KeyInfo | null =>
  k
    ? {
        last4: k.last4,
        createdAt: k.createdAt,
        lastUsedAt: k.lastUsedAt,
        inGrace: grace.map((g) => ({
          last4: g.last4,
          replacedAt: g.revokedAt ?? 0,
          graceUntil: g.graceUntil ?? 0,
          lastUsedAt: g.lastUsedAt,
        })),
      }
    : null;

/** The longest grace period a rotation may give: 30 days. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

/** Every account's active keys, by last four characters only: the values themselves are not kept. */
export function keysOverview(db: Db, now: number): KeysOverview {
  return {
    accounts: listAccounts(db).map((a) => {
      const keys = listKeys(db, a.id);
      const active = (botId: string | null, kind: KeyKind) =>
        info(
          keys.find((k) => k.botId === botId && k.kind === kind && k.revokedAt === null),
          keys.filter(
            (k) =>
              k.botId === botId &&
              k.kind === kind &&
              k.revokedAt !== null &&
              k.graceUntil !== null &&
              k.graceUntil > now,
          ),
        );
      return {
        id: a.id,
        name: a.name,
        accountKey: active(null, 'account_key'),
        revoked: keys.filter((k) => k.revokedAt !== null).length,
        bots: listBots(db, a.id).map((b) => ({
          id: b.id,
          name: b.name,
          key: active(b.id, 'bot_key'),
          secret: active(b.id, 'bot_secret'),
        })),
      };
    }),
  };
}

export interface KeyTarget {
  account: string;
  bot: string | null;
  kind: KeyKind;
  /** Rotation only: how long the replaced key keeps working, in seconds (0: it stops at once). */
  graceSeconds?: number;
}

function checkTarget(db: Db, t: KeyTarget): { accountName: string; what: string } {
  const account = getAccount(db, t.account);
  if (!account) throw notFound(`no account "${t.account}"`);
  if (t.kind === 'account_key') {
    if (t.bot !== null) throw invalidInput('bot', 'an AccountAPIKey belongs to the account, not to a bot');
    return { accountName: account.name, what: `${KIND_LABEL[t.kind]} of ${account.name}` };
  }
  if (t.bot === null) throw invalidInput('bot', `a ${KIND_LABEL[t.kind]} belongs to a bot: name the bot`);
  const bot = getBot(db, t.bot);
  if (!bot || bot.accountId !== account.id) throw notFound(`no bot "${t.bot}" in account ${account.name}`);
  return { accountName: account.name, what: `${KIND_LABEL[t.kind]} of ${bot.name}` };
}

/**
 * Creates a key, or replaces the active one (which is revoked in the same transaction). The new value
 * is returned this once; only its SHA-256 and last four characters are stored.
 * @throws DeskError `not_found` | `invalid_input`.
 */
export function rotateKey(
  db: Db,
  t: KeyTarget,
  now: number,
  actor = 'console',
): { value: string; last4: string; createdAt: number; replaced: boolean; graceUntil: number | null } {
  const { what } = checkTarget(db, t);
  const grace = t.graceSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS)
    throw invalidInput('graceSeconds', 'a grace period is 0 to 30 days, in whole seconds');
  const graceUntil = grace > 0 ? now + grace * 1000 : null;
  const value = `${PREFIX[t.kind]}_${randomToken(24)}`;
  const last4 = value.slice(-4);
  const replaced = db.transaction(() => {
    const n = retireActiveKey(db, { accountId: t.account, botId: t.bot, kind: t.kind }, now, graceUntil);
    insertApiKey(db, { accountId: t.account, botId: t.bot, kind: t.kind, hash: sha256(value), last4, createdAt: now });
    const old = graceUntil
      ? `; the old one works until ${new Date(graceUntil).toISOString()}`
      : '; the old one stopped at once';
    appendAudit(db, {
      at: now,
      kind: n > 0 ? 'keys.rotate' : 'keys.create',
      accountId: t.account,
      actor,
      method: 'platform-sso',
      outcome: 'ok',
      reason: n > 0 ? `rotated ${what}, now ending in …${last4}${old}` : `created ${what}, now ending in …${last4}`,
      detail: { bot: t.bot, kind: t.kind, last4, graceUntil },
    });
    return n > 0;
  })();
  return { value, last4, createdAt: now, replaced, graceUntil: replaced ? graceUntil : null };
}

/** Revokes the active key: requests that bring it then read as not found. */
export function revokeKey(db: Db, t: KeyTarget, now: number, actor = 'console'): { revoked: number } {
  const { what } = checkTarget(db, t);
  const revoked = db.transaction(() => {
    const n = revokeKeys(db, { accountId: t.account, botId: t.bot, kind: t.kind }, now);
    if (n > 0)
      appendAudit(db, {
        at: now,
        kind: 'keys.revoke',
        accountId: t.account,
        actor,
        method: 'platform-sso',
        outcome: 'ok',
        reason: `revoked ${what}`,
        detail: { bot: t.bot, kind: t.kind },
      });
    return n;
  })();
  if (revoked === 0) throw new DeskError('not_found', `${what} has no active key to revoke`, { status: 404 });
  return { revoked };
}
