import { z } from 'zod';
import { channel } from './channel';
import { PLANS, TEAM_LEVELS } from '../domain';

const Gate = z.object({ allowed: z.boolean(), reason: z.string() });

export const PlatformSsoSettings = z.object({
  account: z.string(),
  name: z.string(),
  plan: z.enum(PLANS),
  ssoLogin: z.boolean(),
  embeddable: z.boolean(),
  gates: z.object({ ssoLogin: Gate, embeddable: Gate }),
});
export type PlatformSsoSettings = z.infer<typeof PlatformSsoSettings>;

const Standing = z.union([
  z.object({ kind: z.literal('owner') }),
  z.object({ kind: z.literal('team'), level: z.enum(TEAM_LEVELS) }),
]);

export const TokenInspection = z.object({
  fingerprint: z.string(),
  status: z.enum(['active', 'expired', 'revoked', 'unknown']),
  now: z.number(),
  scope: z.enum(['sso', 'integration']).nullable(),
  account: z.object({ id: z.string(), name: z.string(), embeddable: z.boolean() }).nullable(),
  bot: z.object({ id: z.string(), name: z.string() }).nullable(),
  user: z.object({ email: z.string(), name: z.string() }).nullable(),
  standing: Standing.nullable(),
  issuedAt: z.number().nullable(),
  expiresAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
  home: z.string().nullable(),
  logout: z.string().nullable(),
  sessions: z.object({ total: z.number().int(), open: z.number().int() }),
  sections: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      minLevel: z.enum(TEAM_LEVELS),
      allowed: z.boolean(),
      url: z.string().nullable(),
    }),
  ),
});
export type TokenInspection = z.infer<typeof TokenInspection>;

export const BotWithTeam = z.object({
  account: z.string(),
  accountName: z.string(),
  id: z.string(),
  name: z.string(),
  owner: z.string(),
  team: z.array(z.object({ email: z.string(), level: z.enum(TEAM_LEVELS) })),
});
export type BotWithTeam = z.infer<typeof BotWithTeam>;

export const TryItResult = z.object({
  url: z.string(),
  status: z.number().int(),
  body: z.unknown(),
  durationMs: z.number(),
  /** The curl command with the BotAPISecret masked as ••••: what the console shows and copies by default. */
  curl: z.string(),
  /** The same command with the secret, for when the user asks to reveal it. */
  curlRevealed: z.string(),
  /** For a refusal: the real reason the audit recorded (the API itself answers only "not found"). */
  reason: z.string().optional(),
});
export type TryItResult = z.infer<typeof TryItResult>;

const Pasted = z.strictObject({ input: z.string().min(1, 'paste a Home URL or a token').max(4096) });
const Secretish = z.string().max(4096);

export const tokensChannels = {
  settings: {
    list: channel(
      z.void(),
      z.array(PlatformSsoSettings),
      'Per account: the SSO Login package and the embeddable option, with plan gates.',
    ),
    set: channel(
      z.strictObject({
        account: z.string().min(1).max(64),
        ssoLogin: z.boolean().optional(),
        embeddable: z.boolean().optional(),
      }),
      PlatformSsoSettings,
      'Switch the SSO Login package or the embeddable option of an account (plan-gated).',
    ),
  },
  bots: channel(z.void(), z.array(BotWithTeam), 'Every bot with its owner and team: who a token can be issued for.'),
  inspect: channel(
    Pasted,
    TokenInspection,
    'What a pasted Home URL or token names, its status and the sections it opens.',
  ),
  revoke: channel(Pasted, TokenInspection, 'Revoke a token (and end its sessions), then inspect it again.'),
  tryIt: channel(
    z.strictObject({ accountKey: Secretish, botKey: Secretish, botSecret: Secretish, email: z.string().max(320) }),
    TryItResult,
    'Call this install’s POST /authorization/sso over HTTP and return the response and the matching curl command.',
  ),
};
