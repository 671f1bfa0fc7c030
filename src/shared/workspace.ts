import { z } from 'zod';
import {
  AUTH_TYPES,
  CLIENT_AUTH_METHODS,
  DATA_AS,
  HTTP_ACTIONS,
  PACKAGES,
  PLANS,
  PRESETS,
  ROLES,
  TEAM_LEVELS,
} from './domain';
import { REDIRECT_PORT_MAX, REDIRECT_PORT_MIN } from './oidc-config';
import {
  ACS_PORT_MAX,
  ACS_PORT_MIN,
  DEFAULT_ACS_PORT,
  DEFAULT_CLOCK_SKEW_SECONDS,
  MAX_CLOCK_SKEW_SECONDS,
  MAX_METADATA_BYTES,
  NAMEID_FORMAT_VALUES,
  SAML_PRESETS,
} from './saml-config';
import { ThrottleNumbers } from './contract/login-protection';

/** The workspace file of DESIGN.md: seeding a demo, reproducing a customer's setup, backup/restore. */
export const WORKSPACE_FORMAT = 'sso-desk/workspace@1';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes');
const email = z.email('expected an email address').max(254);
/** API keys and secrets: at least 24 characters (about 128 bits when random), so that none is guessable. */
const secret = z.string().min(24, 'an API key or secret has at least 24 characters').max(512);

/**
 * An API key or secret as stored: its SHA-256 (hex) and last four characters. What an export writes,
 * since the value itself is never kept; import stores the hash as it is.
 */
export const HashedKey = z.strictObject({
  format: z.literal('sha256-hex'),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits'),
  last4: z.string().min(1).max(8),
});
export type HashedKey = z.infer<typeof HashedKey>;
/** A key in clear text (hashed on import) or already hashed. */
const apiKeyField = z.union([secret, HashedKey]);

/**
 * A password as stored: the scrypt string of src/main/engine/crypto/hash.ts. The cost is bounded so
 * that a file cannot make every login spend a gigabyte: N up to 2^20, r up to 16, p up to 4.
 */
export const HashedPassword = z.strictObject({
  format: z.literal('scrypt'),
  hash: z
    .string()
    .max(300)
    .regex(/^scrypt\$\d{1,8}\$\d{1,2}\$\d\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{32,}$/, 'expected scrypt$N$r$p$salt$hash')
    .refine((h) => {
      const [, n, r, p] = h.split('$').map(Number) as [number, number, number, number];
      return n >= 2 && n <= 1 << 20 && (n & (n - 1)) === 0 && r >= 1 && r <= 16 && p >= 1 && p <= 4;
    }, 'scrypt cost out of bounds (N a power of two up to 2^20, r up to 16, p up to 4)'),
});
export type HashedPassword = z.infer<typeof HashedPassword>;

/** The name rules of the directory, shared by the workspace file and the console's forms. */
export const AccountId = id;
export const Email = email;
export const PersonName = z.string().trim().min(1, 'expected a name').max(200);
export const ExternalId = z.string().max(200);
/** A local password typed by an admin (console) or carried in clear by a file. */
export const NewPassword = z.string().min(8, 'expected at least 8 characters').max(1024);

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
  userClaim: z
    .string()
    .regex(/^[\x21-\x7E]{1,100}$/, 'expected a claim name such as email, preferred_username or upn')
    .default('email'),
  /** private_key_jwt: the private key (PKCS#8 PEM or a private JWK as JSON), encrypted on import. */
  clientPrivateKey: z.string().max(16_384).optional(),
  /** The values a preset was built from (e.g. Entra's tenant); exported so that the form rebuilds the same. */
  presetParams: z.record(z.string(), z.string().max(512)).optional(),
});

/**
 * SAML 2.0 SSO of an account (docs/saml-sso.md): the IdP by hand (`idp`) or as its metadata document
 * (`idpMetadataXml`); certificates are public and travel in clear; the SP private key only in the
 * encrypted `secrets` envelope of an export with "include secrets".
 */
export const SamlConfigFile = z.strictObject({
  enabled: z.boolean(),
  preset: z.enum(SAML_PRESETS).default('generic'),
  idp: z
    .strictObject({
      entityId: z.string().min(1).max(1024),
      ssoUrl: z.url('expected a URL'),
      certificates: z.array(z.string().min(1).max(16_384)).min(1, 'expected at least one signing certificate').max(8),
    })
    .optional(),
  idpMetadataXml: z.string().min(1).max(MAX_METADATA_BYTES).optional(),
  acsPort: z
    .number()
    .int(`expected a whole port number from ${ACS_PORT_MIN} to ${ACS_PORT_MAX}`)
    .min(ACS_PORT_MIN, `expected a port from ${ACS_PORT_MIN} to ${ACS_PORT_MAX}`)
    .max(ACS_PORT_MAX, `expected a port from ${ACS_PORT_MIN} to ${ACS_PORT_MAX}`)
    .default(DEFAULT_ACS_PORT),
  nameIdFormat: z.enum(NAMEID_FORMAT_VALUES).default(NAMEID_FORMAT_VALUES[0]),
  userAttribute: z
    .string()
    .regex(/^[\x21-\x7E]{1,300}$/, 'expected "nameid" or an attribute name')
    .default('nameid'),
  allowIdpInitiated: z.boolean().default(false),
  clockSkewSeconds: z.number().int().min(0).max(MAX_CLOCK_SKEW_SECONDS).default(DEFAULT_CLOCK_SKEW_SECONDS),
  allowSha1: z.boolean().default(false),
  /** The SP certificate (public), for encrypted assertions; its key comes with `spPrivateKey`. */
  spCertificate: z.string().max(16_384).optional(),
  /** PKCS#8 PEM; encrypted on import. Written by an export only into the passphrase-encrypted envelope. */
  spPrivateKey: z.string().max(16_384).optional(),
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

/** "Members of this SCIM group are on this bot's team at this level" (Settings › Provisioning). */
export const ScimGroupTeamFile = z.strictObject({
  group: z.string().trim().min(1, 'expected a group name').max(256),
  bot: id,
  level: z.enum(TEAM_LEVELS),
});

/**
 * SCIM provisioning of an account: the switch, the bearer token and the group → team mappings. The token is
 * hashed on import; an export writes its hash, and only into the passphrase-encrypted `secrets` envelope.
 */
export const ScimConfigFile = z.strictObject({
  enabled: z.boolean(),
  token: z
    .union([
      z
        .string()
        .min(32, 'expected at least 32 characters')
        .max(512)
        .regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces'),
      HashedKey,
    ])
    .optional(),
  groupTeams: z.array(ScimGroupTeamFile).max(1000).optional(),
});

/** Login protection's numbers, as Settings › Login protection takes them. */
export const LoginProtectionFile = ThrottleNumbers;

/** Install-wide settings: login protection, audit retention, the network (proxy and trusted CAs). */
export const WorkspaceSettings = z.strictObject({
  loginProtection: LoginProtectionFile.optional(),
  /** Days the audit log keeps events; null keeps them forever. */
  auditRetentionDays: z.number().int().min(1).max(3650).nullable().optional(),
  network: z
    .strictObject({
      proxyUrl: z.string().max(2048).default(''),
      noProxy: z.string().max(4096).default(''),
      caPem: z
        .string()
        .max(512 * 1024)
        .default(''),
    })
    .optional(),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const WorkspaceAccount = z.strictObject({
  id,
  name: z.string().min(1).max(200),
  plan: z.enum(PLANS),
  packages: z.array(z.enum(PACKAGES)).default([]),
  embeddable: z.boolean().default(false),
  apiKey: apiKeyField.optional(),
  oidc: OidcConfigFile.optional(),
  saml: SamlConfigFile.optional(),
  passthrough: PassthroughConfigFile.optional(),
  scim: ScimConfigFile.optional(),
});

export const WorkspaceUser = z.strictObject({
  email,
  name: z.string().min(1).max(200),
  externalId: z.string().max(200).optional(),
  password: z.union([z.string().min(1).max(1024), HashedPassword]).optional(),
  emailVerified: z.boolean().default(true),
});

export const MEMBERSHIP_STATUSES = ['active', 'deactivated'] as const;

export const WorkspaceMembership = z.strictObject({
  account: id,
  email,
  role: z.enum(ROLES),
  /** The shared membership model (migration 7); all optional: a plain file means active and local. */
  status: z.enum(MEMBERSHIP_STATUSES).optional(),
  statusAt: z.number().int().nonnegative().optional(),
  statusBy: z.string().min(1).max(200).optional(),
  source: z.enum(['local', 'scim']).optional(),
  provisionedBy: z.string().min(1).max(200).optional(),
  provisionedAt: z.number().int().nonnegative().optional(),
});

export const WorkspaceTeamMember = z.strictObject({ email, level: z.enum(TEAM_LEVELS) });

export const WorkspaceBot = z.strictObject({
  id,
  account: id,
  name: z.string().min(1).max(200),
  owner: email,
  apiKey: apiKeyField.optional(),
  apiSecret: apiKeyField.optional(),
  team: z.array(WorkspaceTeamMember).default([]),
});

/**
 * Secrets encrypted with a passphrase (docs/workspace.md): `v1:` + scrypt-derived key, AES-256-GCM.
 * The clear text is a JSON object that import merges into the file before validating it.
 */
export const SecretsEnvelope = z.strictObject({
  enc: z
    .string()
    .regex(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/, 'expected "v1:<salt>:<iv>:<ciphertext>"')
    .max(20_000_000),
});

export const Workspace = z.strictObject({
  format: z.literal(WORKSPACE_FORMAT),
  accounts: z.array(WorkspaceAccount).default([]),
  users: z.array(WorkspaceUser).default([]),
  memberships: z.array(WorkspaceMembership).default([]),
  bots: z.array(WorkspaceBot).default([]),
  /** Install-wide settings; absent ones stay as they are on import. */
  settings: WorkspaceSettings.optional(),
  /** Present when the file was exported with "include secrets"; import needs the passphrase then. */
  secrets: SecretsEnvelope.optional(),
  /** Set by an export: when, by which version, and what was left out. Ignored by import. */
  exported: z
    .strictObject({ at: z.string().max(40), by: z.string().max(100), leftOut: z.array(z.string().max(200)).max(20) })
    .optional(),
});

export type Workspace = z.infer<typeof Workspace>;
export type WorkspaceInput = z.input<typeof Workspace>;
