import type { EngineContext } from '../context';
import { getAccount, type AccountRow } from '../../store/accounts';
import { getBot, teamLevel, type BotRow } from '../../store/bots';
import { getUser, type UserRow } from '../../store/users';
import type { TokenRow } from '../../store/sso-tokens';
import { SECTIONS, mayOpen, type BotStanding, type SectionDef } from '@shared/sections';
import { findIssuedToken } from './split-token';

export type TokenState = 'active' | 'expired' | 'revoked';

export type Resolved =
  | { state: 'unknown'; hash: string }
  | {
      state: TokenState;
      hash: string;
      row: TokenRow;
      account: AccountRow;
      bot: BotRow | undefined;
      user: UserRow | undefined;
      /** Where the user stands on the bot now (not when the token was issued); null if nowhere. */
      standing: BotStanding | null;
      sections: Array<SectionDef & { allowed: boolean }>;
    };

/** A revoked token reads as revoked even after its expiry: the more specific reason wins. */
export const stateOf = (row: TokenRow, now: number): TokenState =>
  row.revokedAt !== null ? 'revoked' : now >= row.expiresAt ? 'expired' : 'active';

/** Finds a token (split-token.ts: by its row, verified by hash) and gathers what it names. Never throws for an unknown token. */
export function resolveToken(ctx: EngineContext, token: string): Resolved {
  const { db } = ctx.store;
  const { hash, row } = findIssuedToken(db, token);
  const account = row && getAccount(db, row.accountId);
  if (!row || !account) return { state: 'unknown', hash };
  const bot = row.botId ? getBot(db, row.botId) : undefined;
  const user = row.userId !== null ? getUser(db, row.userId) : undefined;
  let standing: BotStanding | null = null;
  if (bot && user) {
    const level = teamLevel(db, bot.id, user.id);
    standing = bot.ownerUserId === user.id ? { kind: 'owner' } : level ? { kind: 'team', level } : null;
  }
  return {
    state: stateOf(row, ctx.clock.now()),
    hash,
    row,
    account,
    bot,
    user,
    standing,
    sections: SECTIONS.map((s) => ({ ...s, allowed: standing !== null && mayOpen(standing, s) })),
  };
}

/** Pulls the token out of a pasted Home URL (`…/auth/sso/<token>[/section]`) or takes a bare token. */
export function tokenFromInput(input: string): string | null {
  const text = input.trim();
  const inUrl = /\/auth\/sso\/([A-Za-z0-9_-]+)/.exec(text);
  if (inUrl?.[1]) return inUrl[1];
  return /^[A-Za-z0-9_-]{16,512}$/.test(text) ? text : null;
}
