import { z } from 'zod';
import { channel } from './channel';

export const KeyKind = z.enum(['account_key', 'bot_key', 'bot_secret']);
export type KeyKind = z.infer<typeof KeyKind>;

const KeyInfo = z.object({ last4: z.string(), createdAt: z.number() }).nullable();

export const KeysOverview = z.object({
  accounts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      accountKey: KeyInfo,
      revoked: z.number().int(),
      bots: z.array(z.object({ id: z.string(), name: z.string(), key: KeyInfo, secret: KeyInfo })),
    }),
  ),
});
export type KeysOverview = z.infer<typeof KeysOverview>;

const KeyTarget = z.strictObject({
  account: z.string().min(1).max(64),
  bot: z.string().min(1).max(64).nullable().default(null),
  kind: KeyKind,
});

export const keysChannels = {
  list: channel(z.void(), KeysOverview, 'Every account key, bot key and bot secret that is active, by its last four characters.'),
  rotate: channel(
    KeyTarget,
    z.object({ value: z.string(), last4: z.string(), createdAt: z.number(), replaced: z.boolean() }),
    'Create a key, or replace the active one; the new value is returned this once.',
  ),
  revoke: channel(KeyTarget, z.object({ revoked: z.number().int() }), 'Revoke the active key: the Platform API then reads it as not found.'),
};
