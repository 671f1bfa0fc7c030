import type { KeyInfo, KeyKind, KeysOverview } from '@shared/contract/keys';

/** A demo world's credential as `workspace.demoCredentials` gives it. */
export interface DemoCredential {
  label: string;
  account: string;
  bot: string | null;
  kind: string;
  value: string;
}

export const DEMO_KIND: Record<string, KeyKind> = {
  AccountAPIKey: 'account_key',
  BotAPIKey: 'bot_key',
  BotAPISecret: 'bot_secret',
};
export const KIND_LABEL: Record<KeyKind, string> = {
  account_key: 'AccountAPIKey',
  bot_key: 'BotAPIKey',
  bot_secret: 'BotAPISecret',
};

/** The active key of a slot in the overview; undefined when the account or bot is not listed. */
export function activeKey(o: KeysOverview, account: string, bot: string | null, kind: KeyKind): KeyInfo | undefined {
  const a = o.accounts.find((x) => x.id === account);
  if (!a) return undefined;
  if (kind === 'account_key') return a.accountKey;
  const b = a.bots.find((x) => x.id === bot);
  if (!b) return undefined;
  return kind === 'bot_key' ? b.key : b.secret;
}

/** Whether a demo credential is still the active key of its slot (a rotated or revoked one is not). */
export function isCurrent(c: DemoCredential, o: KeysOverview): boolean {
  const kind = DEMO_KIND[c.kind];
  if (!kind) return true;
  const k = activeKey(o, c.account, c.bot, kind);
  return k !== null && k !== undefined && k.last4 === c.value.slice(-4);
}

export interface OfferedKeys {
  accountKey: string;
  botKey: string;
  botSecret: string;
  /** The demo keys of this bot that were replaced and are therefore not offered. */
  replaced: string[];
}

const EMPTY: OfferedKeys = { accountKey: '', botKey: '', botSecret: '', replaced: [] };

/**
 * The demo keys Try it offers for a bot, derived from all three loads (the bot list, the demo
 * credentials and the active keys) whenever any of them changes — never captured at the moment a
 * bot is chosen, so keys that arrive later still fill in. A demo key that was rotated or revoked is
 * not offered: it would only earn a 404.
 */
export function offeredDemoKeys(
  bot: { id: string; account: string } | undefined,
  demo: readonly DemoCredential[] | null,
  overview: KeysOverview | null,
): OfferedKeys {
  if (!bot || !demo || !overview) return EMPTY;
  const out: OfferedKeys = { accountKey: '', botKey: '', botSecret: '', replaced: [] };
  const pick = (kind: string, botId: string | null): string => {
    const c = demo.find((d) => d.account === bot.account && d.bot === botId && d.kind === kind);
    if (!c) return '';
    if (isCurrent(c, overview)) return c.value;
    out.replaced.push(kind);
    return '';
  };
  out.accountKey = pick('AccountAPIKey', null);
  out.botKey = pick('BotAPIKey', bot.id);
  out.botSecret = pick('BotAPISecret', bot.id);
  return out;
}
