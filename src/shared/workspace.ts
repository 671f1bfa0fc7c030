import { z } from 'zod';
import { AUTH_TYPES, DATA_AS, HTTP_ACTIONS, PACKAGES, PLANS, PRESETS, ROLES, TEAM_LEVELS } from './domain';

/** The workspace file of DESIGN.md: seeding a demo, reproducing a customer's setup, backup/restore. */
export const WORKSPACE_FORMAT = 'sso-desk/workspace@1';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes');
const email = z.email('expected an email address').max(254);
/** API keys and secrets: at least 24 characters (about 128 bits when random), so that none is guessable. */
const secret = z.string().min(24, 'an API key or secret has at least 24 characters').max(512);

export const OidcConfigFile = z.strictObject({
  enabled: z.boolean(),
  preset: z.enum(PRESETS).default('generic'),
  issuer: z.url('expected a URL'),
  clientId: z.string().min(1).max(512),
  clientSecret: z.string().max(2048).optional(),
  scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']),
});

export const PassthroughConfigFile = z.strictObject({
  enabled: z.boolean(),
  url: z.string().min(1),
  method: z.enum(HTTP_ACTIONS).default('POST'),
  dataAs: z.enum(DATA_AS).default('json'),
  authType: z.enum(AUTH_TYPES).default('none'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Names of headers whose values are secrets (masked like the password in traces and the audit). */
  secretHeaders: z.array(z.string().max(256)).max(32).default([]),
  body: z.string().default(''),
  forgotPasswordUrl: z.string().optional(),
  timeoutMs: z.number().int().min(100).max(30_000).default(5000),
});

export const WorkspaceAccount = z.strictObject({
  id,
  name: z.string().min(1).max(200),
  plan: z.enum(PLANS),
  packages: z.array(z.enum(PACKAGES)).default([]),
  embeddable: z.boolean().default(false),
  apiKey: secret.optional(),
  oidc: OidcConfigFile.optional(),
  passthrough: PassthroughConfigFile.optional(),
});

export const WorkspaceUser = z.strictObject({
  email,
  name: z.string().min(1).max(200),
  externalId: z.string().max(200).optional(),
  password: z.string().min(1).max(1024).optional(),
  emailVerified: z.boolean().default(true),
});

export const WorkspaceMembership = z.strictObject({
  account: id,
  email,
  role: z.enum(ROLES),
});

export const WorkspaceBot = z.strictObject({
  id,
  account: id,
  name: z.string().min(1).max(200),
  owner: email,
  apiKey: secret.optional(),
  apiSecret: secret.optional(),
  team: z.array(z.strictObject({ email, level: z.enum(TEAM_LEVELS) })).default([]),
});

export const Workspace = z.strictObject({
  format: z.literal(WORKSPACE_FORMAT),
  accounts: z.array(WorkspaceAccount).default([]),
  users: z.array(WorkspaceUser).default([]),
  memberships: z.array(WorkspaceMembership).default([]),
  bots: z.array(WorkspaceBot).default([]),
});

export type Workspace = z.infer<typeof Workspace>;
export type WorkspaceInput = z.input<typeof Workspace>;
