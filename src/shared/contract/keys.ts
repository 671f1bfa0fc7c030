import { z } from 'zod';
import { channel } from './channel';

export const KeyKind = z.enum(['account_key', 'bot_key', 'bot_secret']);
export type KeyKind = z.infer<typeof KeyKind>;

const KeyInfo = z
  .object({
    last4: z.string(),
    createdAt: z.number(),
    /** When the key last authorized a request (kept to the minute); null: never. */
    lastUsedAt: z.number().nullable(),
    /** Replaced keys of this slot that still work, each until its graceUntil. */
    inGrace: z.array(
      z.object({
        last4: z.string(),
        replacedAt: z.number(),
        graceUntil: z.number(),
        lastUsedAt: z.number().nullable(),
      }),
    ),
  })
  .nullable();
export type KeyInfo = z.infer<typeof KeyInfo>;

/** The longest grace period a rotation may give the replaced key: 30 days. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

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
  list: channel(
    z.void(),
    KeysOverview,
    'Every account key, bot key and bot secret that is active, by its last four characters.',
  ),
  rotate: channel(
    KeyTarget.extend({
      /** How long the replaced key keeps working, in seconds; 0 = it stops at once. */
      graceSeconds: z
        .number()
        .int('whole seconds')
        .min(0)
        .max(MAX_GRACE_SECONDS, 'a grace period is at most 30 days')
        .default(0),
    }),
    z.object({
      value: z.string(),
      last4: z.string(),
      createdAt: z.number(),
      replaced: z.boolean(),
      graceUntil: z.number().nullable(),
    }),
    'Create a key, or replace the active one (which keeps working for the grace period); the new value is returned this once.',
  ),
  revoke: channel(
    KeyTarget,
    z.object({ revoked: z.number().int() }),
    'Revoke the active key and any replaced key still in its grace period: the Platform API then reads them as not found.',
  ),
};
