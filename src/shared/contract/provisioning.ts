import { z } from 'zod';
import { channel } from './channel';
import { TEAM_LEVELS } from '../domain';

const AccountRef = z.strictObject({ account: z.string().min(1).max(64) });

/** Settings › Provisioning of one account: never the token itself, only its last four characters. */
export const ProvisioningView = z.object({
  account: z.string(),
  accountName: z.string(),
  /** Whether the plan and packages allow provisioning, and why not. */
  gate: z.object({ allowed: z.boolean(), reason: z.string() }),
  enabled: z.boolean(),
  /** `<api>/scim/v2`, the "Tenant URL" (Entra ID) / "SCIM connector base URL" (Okta). Null while the API is not listening. */
  baseUrl: z.string().nullable(),
  token: z.object({ last4: z.string(), createdAt: z.number() }).nullable(),
  stats: z.object({ users: z.number().int(), deactivated: z.number().int(), groups: z.number().int() }),
  /** The account's last SCIM request (from the audit log): when, what, its HTTP status and outcome, which IdP. */
  lastRequest: z
    .object({
      at: z.number(),
      method: z.string(),
      path: z.string(),
      status: z.number().int(),
      outcome: z.enum(['ok', 'refused', 'failed']),
      idp: z.string(),
      /** What went wrong (a refusal's SCIM detail) or what changed; never the token. */
      summary: z.string(),
    })
    .nullable(),
  groups: z.array(z.object({ id: z.string(), displayName: z.string(), members: z.number().int() })),
  bots: z.array(z.object({ id: z.string(), name: z.string() })),
  mappings: z.array(
    z.object({ groupName: z.string(), bot: z.string(), botName: z.string(), level: z.enum(TEAM_LEVELS) }),
  ),
});
export type ProvisioningView = z.infer<typeof ProvisioningView>;

export const SelfCheckStep = z.object({
  vendor: z.enum(['Microsoft Entra ID', 'Okta', 'cleanup']),
  name: z.string(),
  request: z.string(),
  status: z.number().int().nullable(),
  ok: z.boolean(),
  detail: z.string(),
});
export type SelfCheckStep = z.infer<typeof SelfCheckStep>;

export const SelfCheckResult = z.object({ ok: z.boolean(), steps: z.array(SelfCheckStep) });
export type SelfCheckResult = z.infer<typeof SelfCheckResult>;

const GroupName = z.string().trim().min(1, 'enter the group name as the IdP sends it').max(256);

/** A group-to-team mapping as Settings › Provisioning edits it (the draft's rows, and `mapGroup`'s input). */
export const GroupMappingInput = z.strictObject({
  groupName: GroupName,
  bot: z.string().min(1, 'choose a bot').max(64),
  level: z.enum(TEAM_LEVELS),
});
export type GroupMappingInput = z.infer<typeof GroupMappingInput>;

export const provisioningChannels = {
  get: channel(
    AccountRef,
    ProvisioningView,
    'Provisioning (SCIM 2.0) of one account: switch, base URL, token hint, groups and mappings.',
  ),
  setEnabled: channel(
    AccountRef.extend({ enabled: z.boolean() }),
    ProvisioningView,
    'Switch provisioning on or off for an account (on needs Enterprise + Enterprise toolkit).',
  ),
  rotateToken: channel(
    AccountRef,
    z.object({ token: z.string(), last4: z.string(), createdAt: z.number(), replaced: z.boolean() }),
    'Create the bearer token, or replace the current one; the value is returned this once and stored hashed.',
  ),
  revokeToken: channel(
    AccountRef,
    ProvisioningView,
    'Revoke the bearer token: the IdP is refused (401) until a new one is made.',
  ),
  mapGroup: channel(
    AccountRef.extend(GroupMappingInput.shape),
    ProvisioningView,
    "Members of this group get this level on the bot's team (the highest of their groups wins).",
  ),
  unmapGroup: channel(
    AccountRef.extend({ groupName: GroupName, bot: z.string().min(1).max(64) }),
    ProvisioningView,
    'Remove a group-to-team mapping; the places it made go.',
  ),
  selfCheck: channel(
    AccountRef,
    SelfCheckResult,
    "Replay Entra ID's Test connection and Okta's test sequence against this account's " +
      'endpoint with a temporary user and group, then clean up.',
  ),
};
