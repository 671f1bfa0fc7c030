/** Vocabulary of the domain, shared by every layer. */
export const PLANS = ['free', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export const ROLES = ['owner', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** Team levels of a bot, most powerful first. */
export const TEAM_LEVELS = ['admin', 'editor', 'operator', 'viewer'] as const;
export type TeamLevel = (typeof TEAM_LEVELS)[number];

export const PACKAGES = ['sso-login', 'enterprise-toolkit'] as const;
export type PackageName = (typeof PACKAGES)[number];

export const PRESETS = ['generic', 'okta', 'entra', 'ping', 'keycloak', 'google'] as const;
export type Preset = (typeof PRESETS)[number];

/**
 * How SSO Desk authenticates at the IdP's token endpoint (OpenID Connect Core 1.0 §9). `auto` picks
 * from the IdP's `token_endpoint_auth_methods_supported` at sign-in.
 */
export const CLIENT_AUTH_METHODS = [
  'auto',
  'client_secret_basic',
  'client_secret_post',
  'none',
  'private_key_jwt',
] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];
export type EffectiveClientAuth = Exclude<ClientAuthMethod, 'auto'>;

/** The claims an admin usually picks to identify the user; any other claim name is allowed too. */
export const USER_CLAIMS = ['email', 'preferred_username', 'upn'] as const;

export const HTTP_ACTIONS = ['POST', 'PUT', 'GET'] as const;
export const DATA_AS = ['json', 'urlencoded', 'xml'] as const;
export const AUTH_TYPES = ['none', 'basic'] as const;

export const PLACEHOLDERS = [
  'USERID',
  'USEREMAIL',
  'USERPASSWORD',
  'USEREXTERNALID',
  'ORGID',
  'DEVICEOS',
  'DEVICENAME',
  'DEVICEIP',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Emails compare case-insensitively: every key made from one goes through here. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The embedded demo IdP's client: what the demo world and "Use the demo IdP" register. */
export const DEMO_CLIENT_ID = 'sso-desk-demo';
