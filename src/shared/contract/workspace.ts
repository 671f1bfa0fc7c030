import { z } from 'zod';
import { channel } from './channel';
import { PLANS, PACKAGES, ROLES } from '../domain';
import { Delivery } from './audit';

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

/** What the console sends to export: secrets only with a passphrase (of at least 8 characters). */
export const ExportInput = z
  .strictObject({
    includeSecrets: z.boolean().default(false),
    passphrase: z.string().min(8, 'expected at least 8 characters').max(1024).optional(),
  })
  .refine((x) => !x.includeSecrets || x.passphrase !== undefined, {
    path: ['passphrase'],
    message: 'a passphrase is needed to include secrets',
  });

export const workspaceChannels = {
  import: channel(
    // The file's text, parsed and validated in main so that the error names the path of the bad field.
    z.strictObject({
      text: z.string().min(1).max(10_000_000),
      replace: z.boolean().default(false),
      /** Opens the file's encrypted secrets (an export made with "include secrets"). */
      passphrase: z.string().min(1).max(1024).optional(),
    }),
    ImportSummary,
    'Load a workspace file: all or nothing.',
  ),
  export: channel(
    ExportInput,
    z.object({
      accounts: z.number().int(),
      users: z.number().int(),
      bots: z.number().int(),
      secrets: z.enum(['left out', 'encrypted']),
      leftOut: z.array(z.string()),
      delivery: Delivery,
    }),
    'The whole setup as a workspace file; secrets left out, or encrypted with a passphrase.',
  ),
  accounts: channel(z.void(), z.array(AccountSummary), 'Accounts with their members and bots.'),
  demoCredentials: channel(
    z.void(),
    z.array(DemoCredential),
    'The API keys and passwords generated for this install’s demo world.',
  ),
};
