import { z } from 'zod';
import { channel } from './channel';
import { PLANS, PACKAGES, ROLES } from '../domain';

export const ImportSummary = z.object({
  accounts: z.number().int(),
  users: z.number().int(),
  memberships: z.number().int(),
  bots: z.number().int(),
  replaced: z.boolean(),
});

export const AccountSummary = z.object({
  id: z.string(),
  name: z.string(),
  plan: z.enum(PLANS),
  packages: z.array(z.enum(PACKAGES)),
  embeddable: z.boolean(),
  members: z.array(z.object({ email: z.string(), name: z.string(), role: z.enum(ROLES) })),
  bots: z.array(z.object({ id: z.string(), name: z.string(), owner: z.string() })),
});
export type AccountSummary = z.infer<typeof AccountSummary>;

export const DemoCredential = z.object({
  label: z.string(),
  account: z.string(),
  bot: z.string().nullable(),
  kind: z.enum(['AccountAPIKey', 'BotAPIKey', 'BotAPISecret', 'password']),
  value: z.string(),
});

export const workspaceChannels = {
  import: channel(
    // The file's text, parsed and validated in main so that the error names the path of the bad field.
    z.strictObject({ text: z.string().min(1).max(10_000_000), replace: z.boolean().default(false) }),
    ImportSummary,
    'Load a workspace file: all or nothing.',
  ),
  accounts: channel(z.void(), z.array(AccountSummary), 'Accounts with their members and bots.'),
  demoCredentials: channel(
    z.void(),
    z.array(DemoCredential),
    'The API keys and passwords generated for this install’s demo world.',
  ),
};
