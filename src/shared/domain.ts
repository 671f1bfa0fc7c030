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

export const PRESETS = ['generic', 'okta', 'entra', 'ping'] as const;
export type Preset = (typeof PRESETS)[number];

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
