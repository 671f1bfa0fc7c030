import { z } from 'zod';
import { AUTH_TYPES, CLIENT_AUTH_METHODS, DATA_AS, HTTP_ACTIONS, PACKAGES, PLANS, PRESETS, ROLES, TEAM_LEVELS } from './domain';
import { REDIRECT_PORT_MAX, REDIRECT_PORT_MIN } from './oidc-config';

/** The workspace file of DESIGN.md: seeding a demo, reproducing a customer's setup, backup/restore. */
export const WORKSPACE_FORMAT = 'sso-desk/workspace@1';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes');
const email = z.email('expected an email address').max(254);
const secret = z.string().min(8, 'expected at least 8 characters').max(512);

export const OidcConfigFile = z.strictObject({
  enabled: z.boolean(),
  preset: z.enum(PRESETS).default('generic'),
  issuer: z.url('expected a URL'),
  clientId: z.string().min(1).max(512),
  clientSecret: z.string().max(2048).optional(),
  scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']),
  /** null or absent = any loopback port; else the fixed port registered at the IdP. */
  redirectPort: z
    .number()
    .int(`expected a whole port number from ${REDIRECT_PORT_MIN} to ${REDIRECT_PORT_MAX}`)
    .min(REDIRECT_PORT_MIN, `expected a port from ${REDIRECT_PORT_MIN} to ${REDIRECT_PORT_MAX}`)
    .max(REDIRECT_PORT_MAX, `expected a port from ${REDIRECT_PORT_MIN} to ${REDIRECT_PORT_MAX}`)
    .nullable()
    .default(null),
  clientAuth: z.enum(CLIENT_AUTH_METHODS).default('auto'),
  userClaim: z.string().regex(/^[\x21-\x7E]{1,100}$/, 'expected a claim name such as email, preferred_username or upn').default('email'),
  /** private_key_jwt: the private key (PKCS#8 PEM or a private JWK as JSON), encrypted on import. */
  clientPrivateKey: z.string().max(16_384).optional(),
});

export const PassthroughConfigFile = z.strictObject({
  enabled: z.boolean(),
  url: z.string().min(1),
  method: z.enum(HTTP_ACTIONS).default('POST'),
  dataAs: z.enum(DATA_AS).default('json'),
  authType: z.enum(AUTH_TYPES).default('none'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().default(''),
  forgotPasswordUrl: z.string().optional(),
  timeoutMs: z.number().int().min(100).max(30_000).default(5000),
});

/** SCIM provisioning of an account: the bearer token is hashed on import and never exported in clear. */
export const ScimConfigFile = z.strictObject({
  enabled: z.boolean(),
  token: z.string().min(32, 'expected at least 32 characters').max(512).regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces').optional(),
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
  scim: ScimConfigFile.optional(),
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
