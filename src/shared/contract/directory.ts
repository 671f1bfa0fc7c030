import { z } from 'zod';
import { channel } from './channel';
import { PACKAGES, PLANS, ROLES, TEAM_LEVELS } from '../domain';
import {
  AccountId,
  Email,
  ExternalId,
  MEMBERSHIP_STATUSES,
  NewPassword,
  PersonName,
  WorkspaceAccount,
  WorkspaceBot,
  WorkspaceMembership,
  WorkspaceTeamMember,
} from '../workspace';
import { AuditRow } from './audit';

/*
 * The console's directory: accounts, users, memberships, bots and teams. Every input is built from the
 * workspace file's schemas (src/shared/workspace.ts), so that the console and an import accept and
 * refuse the same things; the forms of the renderer validate with these same schemas.
 */

const ok = z.object({ ok: z.literal(true) });

// ─── accounts ───
export const AccountInput = WorkspaceAccount.pick({
  id: true,
  name: true,
  plan: true,
  packages: true,
  embeddable: true,
});
export type AccountInput = z.input<typeof AccountInput>;
export const AccountPatch = z.strictObject({
  id: AccountId,
  name: WorkspaceAccount.shape.name.optional(),
  plan: z.enum(PLANS).optional(),
  packages: z.array(z.enum(PACKAGES)).optional(),
  embeddable: z.boolean().optional(),
});
export const DirectoryAccount = z.object({
  id: z.string(),
  name: z.string(),
  plan: z.enum(PLANS),
  packages: z.array(z.enum(PACKAGES)),
  embeddable: z.boolean(),
  members: z.number().int(),
  bots: z.number().int(),
  createdAt: z.number(),
});
export type DirectoryAccount = z.infer<typeof DirectoryAccount>;
/** What goes with an account when it is deleted: named in the confirmation before it happens. */
export const AccountImpact = z.object({
  id: z.string(),
  name: z.string(),
  members: z.number().int(),
  bots: z.array(z.string()),
  activeKeys: z.number().int(),
  openSessions: z.number().int(),
  sso: z.boolean(),
  passthrough: z.boolean(),
  /** Users who belong to no other account: they stay, without any account. */
  usersLeftWithoutAccount: z.number().int(),
});
export type AccountImpact = z.infer<typeof AccountImpact>;
const AccountRef = z.strictObject({ id: AccountId });

// ─── users ───
export const UserInput = z.strictObject({
  email: Email,
  name: PersonName,
  externalId: ExternalId.optional(),
  /** Hashed with scrypt at once; never stored or sent back in clear. */
  password: NewPassword.optional(),
});
export type UserInput = z.input<typeof UserInput>;
export const UserPatch = z.strictObject({
  email: Email,
  name: PersonName.optional(),
  externalId: ExternalId.nullable().optional(),
});
export const DirectoryUser = z.object({
  email: z.string(),
  name: z.string(),
  externalId: z.string().nullable(),
  hasPassword: z.boolean(),
  emailVerified: z.boolean(),
  accounts: z.number().int(),
  /** Memberships deactivated (by an admin or provisioning): the Users list's status column. */
  deactivated: z.number().int().default(0),
  /** Who provisioned the user's memberships (IdP names); empty: made in SSO Desk. */
  provisionedBy: z.array(z.string()).default([]),
});
export type DirectoryUser = z.infer<typeof DirectoryUser>;
const UserRef = z.strictObject({ email: Email });

// ─── memberships, bots, teams ───
export const MembershipInput = WorkspaceMembership.pick({ account: true, email: true, role: true });
export type MembershipInput = z.input<typeof MembershipInput>;
const MembershipRef = z.strictObject({ account: AccountId, email: Email });
export const DirectoryMember = z.object({
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  status: z.enum(MEMBERSHIP_STATUSES),
  statusAt: z.number().nullable(),
  statusBy: z.string().nullable(),
  source: z.enum(['local', 'scim']),
  provisionedBy: z.string().nullable(),
  provisionedAt: z.number().nullable(),
});
export type DirectoryMember = z.infer<typeof DirectoryMember>;

export const BotInput = WorkspaceBot.pick({ id: true, account: true, name: true, owner: true });
export type BotInput = z.input<typeof BotInput>;
export const BotPatch = z.strictObject({
  id: AccountId,
  name: WorkspaceBot.shape.name.optional(),
  owner: Email.optional(),
});
const KeyInfo = z.object({ last4: z.string(), createdAt: z.number() }).nullable();
export const DirectoryBot = z.object({
  id: z.string(),
  account: z.string(),
  name: z.string(),
  owner: z.string(),
  key: KeyInfo,
  secret: KeyInfo,
  team: z.array(z.object({ email: z.string(), level: z.enum(TEAM_LEVELS) })),
});
export type DirectoryBot = z.infer<typeof DirectoryBot>;
export const TeamInput = WorkspaceTeamMember.extend({ bot: AccountId });
export type TeamInput = z.input<typeof TeamInput>;

// ─── the user page ───
export const SESSION_KINDS = ['password', 'sso', 'platform-sso'] as const;
export const UserSession = z.object({
  kind: z.enum(SESSION_KINDS),
  id: z.number().int(),
  accountId: z.string(),
  accountName: z.string(),
  detail: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});
export type UserSession = z.infer<typeof UserSession>;
/** An unexpired, unrevoked deep link (Platform SSO token) of the user; Revoke ends it and the pages it opened. */
export const UserDeepLink = z.object({
  id: z.number().int(),
  accountId: z.string(),
  accountName: z.string(),
  bot: z.string().nullable(),
  botName: z.string().nullable(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  /** Browser sessions it opened that are still open. */
  opened: z.number().int(),
});
export type UserDeepLink = z.infer<typeof UserDeepLink>;
/** One throttle key that names the user, in the throttle's own numbers (engine/passthrough/user-lockouts.ts). */
export const UserLockout = z.object({
  key: z.string(),
  scope: z.enum(['login', 'forgot', 'reset', 'demo']),
  kind: z.enum(['email', 'account', 'address', 'loopback']),
  subject: z.string(),
  failures: z.number().int(),
  /** Failed attempts left before the lock (0 while locked). */
  attemptsLeft: z.number().int(),
  /** Seconds the lock still refuses (Retry-After); null when not locked. */
  refusedForSeconds: z.number().int().nullable(),
});
export type UserLockout = z.infer<typeof UserLockout>;
export const UserPage = z.object({
  user: DirectoryUser,
  accounts: z.array(
    DirectoryMember.omit({ email: true, name: true }).extend({
      accountId: z.string(),
      accountName: z.string(),
      /** How this user signs in to this account: the policy's verdict. */
      method: z.enum(['sso', 'passthrough', 'password', 'refused']),
      /** The policy's own words (src/main/engine/policy.ts `decide`). */
      reason: z.string(),
    }),
  ),
  bots: z.array(z.object({ id: z.string(), name: z.string(), account: z.string(), place: z.string() })),
  sessions: z.array(UserSession),
  deepLinks: z.array(UserDeepLink).default([]),
  /** Login protection's counts of this email (every key that names it); Unlock clears them together. */
  lockouts: z.array(UserLockout).default([]),
  audit: z.array(AuditRow),
});
export type UserPage = z.infer<typeof UserPage>;

export const directoryChannels = {
  accounts: {
    list: channel(z.void(), z.array(DirectoryAccount), 'Every account with its number of members and bots.'),
    create: channel(
      AccountInput,
      DirectoryAccount,
      'Create an account (the same rules as an account in a workspace file).',
    ),
    update: channel(
      AccountPatch,
      DirectoryAccount,
      'Rename an account, change its plan, packages or embeddable option.',
    ),
    impact: channel(AccountRef, AccountImpact, 'What goes with an account if it is deleted.'),
    delete: channel(
      AccountRef,
      AccountImpact,
      'Delete an account with its memberships, bots, keys, sessions and SSO settings.',
    ),
  },
  users: {
    list: channel(z.void(), z.array(DirectoryUser), 'Every user, by email.'),
    create: channel(
      UserInput,
      DirectoryUser,
      'Create a user; a password given is hashed with scrypt and never shown again.',
    ),
    update: channel(UserPatch, DirectoryUser, 'Change a user’s name or external ID (null removes it).'),
    setPassword: channel(
      z.strictObject({ email: Email, password: NewPassword.nullable() }),
      DirectoryUser,
      'Set or reset the local password (null removes it); open password sessions are ended.',
    ),
    delete: channel(
      UserRef,
      ok,
      'Delete a user with their memberships, team places and sessions (not while they own a bot).',
    ),
  },
  memberships: {
    list: channel(AccountRef, z.array(DirectoryMember), 'The members of an account with their role and status.'),
    add: channel(MembershipInput, DirectoryMember, 'Add a user to an account with a role.'),
    update: channel(MembershipInput, DirectoryMember, 'Change a member’s role.'),
    remove: channel(MembershipRef, ok, 'Remove a user from an account (not its last owner).'),
    setStatus: channel(
      MembershipRef.extend({ status: z.enum(MEMBERSHIP_STATUSES) }),
      DirectoryMember,
      'Deactivate or reactivate a membership: a deactivated member is refused by every sign-in path.',
    ),
  },
  bots: {
    list: channel(z.void(), z.array(DirectoryBot), 'Every bot with its owner, team and keys (last four characters).'),
    create: channel(BotInput, DirectoryBot, 'Create a bot in an account.'),
    update: channel(BotPatch, DirectoryBot, 'Rename a bot or give it another owner.'),
    delete: channel(z.strictObject({ id: AccountId }), ok, 'Delete a bot with its team, keys and tokens.'),
    generateKeys: channel(
      z.strictObject({ id: AccountId }),
      z.object({ apiKey: z.string(), apiSecret: z.string(), replaced: z.boolean() }),
      'A new BotAPIKey and BotAPISecret, shown this once; only their hashes are kept. Replaces the active pair.',
    ),
  },
  team: {
    set: channel(TeamInput, DirectoryBot, 'Put a user on a bot’s team at a level, or change the level.'),
    remove: channel(z.strictObject({ bot: AccountId, email: Email }), DirectoryBot, 'Take a user off a bot’s team.'),
  },
  user: {
    get: channel(
      UserRef,
      UserPage,
      'One user: accounts with the sign-in method and why, sessions, bots, recent audit events.',
    ),
    unlock: channel(
      UserRef,
      z.object({ cleared: z.array(z.string()) }),
      'Clear every login-protection count and lock of a user together (login, reset, demo, per account).',
    ),
    revokeDeepLink: channel(
      z.strictObject({ email: Email, id: z.number().int().positive() }),
      ok,
      'Revoke one unexpired deep link of a user and end the pages it opened (through endMemberAccess, audited).',
    ),
    endSession: channel(
      z.strictObject({ email: Email, kind: z.enum(SESSION_KINDS), id: z.number().int().positive() }),
      ok,
      'End one open session of a user.',
    ),
  },
};
