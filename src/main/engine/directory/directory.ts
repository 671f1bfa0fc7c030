import type { Db } from '../../store/db';
import {
  deleteAccount,
  getAccount,
  getMembership,
  insertAccount,
  insertMembership,
  listAccounts,
  listMembers,
  updateAccountFlags,
  type MemberRow,
} from '../../store/accounts';
import {
  deleteUser,
  findUserByEmail,
  insertUser,
  listUsers,
  setPasswordHash,
  updateUser,
  type UserRow,
} from '../../store/users';
import { getBot, insertBot, listBots, listTeam } from '../../store/bots';
import { listKeys } from '../../store/api-keys';
import { getOidc, getPassthrough } from '../../store/sso-config';
import { appendAudit, queryAudit } from '../../store/audit';
import {
  accountCounts,
  accountDependents,
  botsOwnedBy,
  countOwners,
  deleteBot,
  deleteMembership,
  endPasswordSessionsOf,
  endSessionOf,
  membershipCounts,
  openSessionsOf,
  removeTeamMember,
  setTeamLevel,
  teamPlacesOf,
  updateAccountCore,
  updateBot,
  updateMembershipRole,
  type SessionKind,
} from '../../store/directory';
import { DeskError, conflict, invalidInput, notFound } from '@shared/errors';
import { normalizeEmail, type PackageName, type Plan, type Role, type TeamLevel } from '@shared/domain';
import type {
  AccountImpact,
  DirectoryAccount,
  DirectoryBot,
  DirectoryMember,
  DirectoryUser,
  UserPage,
} from '@shared/contract/directory';
import { diffSettings, changedFields, type SettingChange } from '../audit/settings-diff';
import { hashPassword } from '../crypto/hash';
import { rotateKey } from '../tokens/keys';
import { decide } from '../policy';
import { endMemberAccess, reactivateMember } from '../access/end-access';
import { membershipStates, openDeepLinksOf } from '../../store/access';
import { enterpriseOfMembership } from '../../store/scim';
import { ssoLoginGate } from '@shared/platform-sso-plans';

/**
 * The console's directory: the writes an admin makes to accounts, users, memberships, bots and teams.
 * Inputs arrive validated by the contract's schemas, which are the workspace file's (one set of rules
 * for the console and for import); this module checks what needs the database — uniqueness, references,
 * the last owner — and writes one audit event per change, with the old and the new value.
 * Every function throws DeskError `not_found` | `conflict` | `invalid_input`; nothing is half-written.
 */
export interface DirectoryDeps {
  db: Db;
  now: () => number;
  actor?: string;
}

interface Change {
  kind: string;
  accountId?: string | null;
  email?: string | null;
  reason: string;
  changes?: SettingChange[];
}

function record(d: DirectoryDeps, c: Change): void {
  appendAudit(d.db, {
    at: d.now(),
    kind: `directory.${c.kind}`,
    actor: d.actor ?? 'console',
    method: 'directory',
    outcome: 'ok',
    accountId: c.accountId ?? null,
    email: c.email ?? null,
    reason: c.reason,
    detail: { changes: c.changes ?? [] },
  });
}

const needAccount = (db: Db, id: string) => {
  const a = getAccount(db, id);
  if (!a) throw notFound(`no account "${id}"`);
  return a;
};
const needUser = (db: Db, email: string): UserRow => {
  const u = findUserByEmail(db, email);
  if (!u) throw notFound(`no user "${email}"`);
  return u;
};
const needBot = (db: Db, id: string) => {
  const b = getBot(db, id);
  if (!b) throw notFound(`no bot "${id}"`);
  return b;
};
const needMember = (db: Db, accountId: string, user: UserRow): MemberRow => {
  const m = getMembership(db, accountId, user.id);
  if (!m) throw notFound(`${user.email} is not a member of ${accountId}`);
  return m;
};
/** A membership's role and state as the console shows it (the member list and the user page alike). */
const membershipState = (m: MemberRow) => ({
  role: m.role,
  status: m.status,
  statusAt: m.statusAt,
  statusBy: m.statusBy,
  source: m.source,
  provisionedBy: m.provisionedBy,
  provisionedAt: m.provisionedAt,
});
const memberOut = (m: MemberRow): DirectoryMember => ({ email: m.email, name: m.name, ...membershipState(m) });

// ─── accounts ───

export function listDirectoryAccounts(db: Db): DirectoryAccount[] {
  const counts = accountCounts(db);
  return listAccounts(db).map((a) => ({
    id: a.id,
    name: a.name,
    plan: a.plan,
    packages: a.packages,
    embeddable: a.embeddable,
    createdAt: a.createdAt,
    members: counts.get(a.id)?.members ?? 0,
    bots: counts.get(a.id)?.bots ?? 0,
  }));
}

const accountOut = (db: Db, id: string): DirectoryAccount => {
  const a = listDirectoryAccounts(db).find((x) => x.id === id);
  if (!a) throw notFound(`no account "${id}"`);
  return a;
};

const ACCOUNT_FIELDS = { plain: ['name', 'plan', 'packages', 'embeddable'] as const };

export function createAccount(
  d: DirectoryDeps,
  input: { id: string; name: string; plan: Plan; packages: PackageName[]; embeddable: boolean },
): DirectoryAccount {
  if (getAccount(d.db, input.id)) throw conflict(`id: an account "${input.id}" exists already`, 'id');
  const row = { ...input, packages: [...new Set(input.packages)] };
  d.db.transaction(() => {
    insertAccount(d.db, row, d.now());
    record(d, {
      kind: 'account.create',
      accountId: row.id,
      reason: `created account ${row.name} (${row.id}) on the ${row.plan} plan`,
      changes: diffSettings('account', null, row, ACCOUNT_FIELDS),
    });
  })();
  return accountOut(d.db, row.id);
}

export function updateAccount(
  d: DirectoryDeps,
  input: {
    id: string;
    name?: string | undefined;
    plan?: Plan | undefined;
    packages?: PackageName[] | undefined;
    embeddable?: boolean | undefined;
  },
): DirectoryAccount {
  const before = needAccount(d.db, input.id);
  const after = {
    name: input.name ?? before.name,
    plan: input.plan ?? before.plan,
    packages: input.packages ? [...new Set(input.packages)] : before.packages,
    embeddable: input.embeddable ?? before.embeddable,
  };
  const changes = diffSettings(
    'account',
    { name: before.name, plan: before.plan, packages: before.packages, embeddable: before.embeddable },
    after,
    ACCOUNT_FIELDS,
  );
  if (changes.length > 0) {
    const write = () => {
      updateAccountCore(d.db, input.id, { name: after.name, plan: after.plan });
      updateAccountFlags(d.db, input.id, { packages: after.packages, embeddable: after.embeddable });
    };
    const reason = `changed ${changedFields(changes)} of ${after.name}`;
    if (hasSsoLogin(before) && !hasSsoLogin(after))
      // Deep links already handed out would still open: the change that takes SSO Login away ends them.
      endMemberAccess({
        db: d.db,
        now: d.now(),
        actor: d.actor ?? 'console',
        method: 'directory',
        accountId: input.id,
        scope: { kind: 'account-deep-links' },
        audit: { kind: 'directory.account.update', reason: `${reason}: SSO Login is off`, changes },
        change: write,
      });
    else
      d.db.transaction(() => {
        write();
        record(d, { kind: 'account.update', accountId: input.id, reason, changes });
      })();
  }
  return accountOut(d.db, input.id);
}

/** Whether deep links into the account may be issued and opened: the package, on a plan that allows it. */
const hasSsoLogin = (a: { plan: Plan; packages: readonly PackageName[] }): boolean =>
  a.packages.includes('sso-login') && ssoLoginGate(a.plan).allowed;

export function accountImpact(db: Db, id: string, now: number): AccountImpact {
  const a = needAccount(db, id);
  return {
    id: a.id,
    name: a.name,
    bots: listBots(db, id).map((b) => b.name),
    sso: getOidc(db, id) !== undefined,
    passthrough: getPassthrough(db, id) !== undefined,
    ...accountDependents(db, id, now),
  };
}

/** Deletes an account and everything that hangs on it (the schema cascades); users stay. */
export function removeAccount(d: DirectoryDeps, id: string): AccountImpact {
  const impact = accountImpact(d.db, id, d.now());
  d.db.transaction(() => {
    deleteAccount(d.db, id);
    record(d, {
      kind: 'account.delete',
      accountId: id,
      reason:
        `deleted account ${impact.name} with ${impact.members} memberships, ${impact.bots.length} ` +
        `bots, ${impact.activeKeys} active keys and ${impact.openSessions} open sessions`,
      changes: [{ field: 'account', old: { id, name: impact.name }, new: null }],
    });
  })();
  return impact;
}

// ─── users ───

export function listDirectoryUsers(db: Db): DirectoryUser[] {
  const counts = membershipCounts(db);
  const states = membershipStates(db);
  return listUsers(db).map((u) => userOut(u, counts.get(u.id) ?? 0, states.get(u.id)));
}

const userOut = (
  u: UserRow,
  accounts: number,
  state: { deactivated: number; provisionedBy: string[] } = { deactivated: 0, provisionedBy: [] },
): DirectoryUser => ({
  deactivated: state.deactivated,
  provisionedBy: state.provisionedBy,
  email: u.email,
  name: u.name,
  externalId: u.externalId,
  hasPassword: u.passwordHash !== null,
  emailVerified: u.emailVerified,
  accounts,
});
const userOutByEmail = (db: Db, email: string): DirectoryUser => {
  const u = needUser(db, email);
  return userOut(u, membershipCounts(db).get(u.id) ?? 0, membershipStates(db).get(u.id));
};

const USER_FIELDS = { plain: ['email', 'name', 'externalId'] as const, secret: ['password'] as const };

export async function createUser(
  d: DirectoryDeps,
  input: { email: string; name: string; externalId?: string | undefined; password?: string | undefined },
): Promise<DirectoryUser> {
  const email = normalizeEmail(input.email);
  if (findUserByEmail(d.db, email)) throw conflict(`email: a user "${email}" exists already`, 'email');
  // The slow KDF runs before the transaction, never while the database is held.
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  d.db.transaction(() => {
    if (findUserByEmail(d.db, email)) throw conflict(`email: a user "${email}" exists already`, 'email');
    insertUser(
      d.db,
      { email, name: input.name, externalId: input.externalId || null, passwordHash, emailVerified: true },
      d.now(),
    );
    record(d, {
      kind: 'user.create',
      email,
      reason: `created user ${email}${passwordHash ? ' with a local password' : ''}`,
      changes: diffSettings(
        'user',
        null,
        { email, name: input.name, externalId: input.externalId || null, password: passwordHash },
        USER_FIELDS,
      ),
    });
  })();
  return userOutByEmail(d.db, email);
}

export function updateDirectoryUser(
  d: DirectoryDeps,
  input: { email: string; name?: string | undefined; externalId?: string | null | undefined },
): DirectoryUser {
  const u = needUser(d.db, input.email);
  const after = {
    name: input.name ?? u.name,
    externalId: input.externalId === undefined ? u.externalId : input.externalId || null,
  };
  const changes = diffSettings('user', { name: u.name, externalId: u.externalId }, after, {
    plain: ['name', 'externalId'],
  });
  if (changes.length > 0) {
    d.db.transaction(() => {
      updateUser(d.db, u.id, { ...after, passwordHash: u.passwordHash, emailVerified: u.emailVerified });
      record(d, {
        kind: 'user.update',
        email: u.email,
        reason: `changed ${changedFields(changes)} of ${u.email}`,
        changes,
      });
    })();
  }
  return userOutByEmail(d.db, u.email);
}

/** Sets (or with null removes) the local password: scrypt-hashed, never kept or shown in clear. */
export async function setUserPassword(
  d: DirectoryDeps,
  input: { email: string; password: string | null },
): Promise<DirectoryUser> {
  const u = needUser(d.db, input.email);
  const hash = input.password === null ? null : await hashPassword(input.password);
  d.db.transaction(() => {
    if (hash === null)
      updateUser(d.db, u.id, {
        name: u.name,
        externalId: u.externalId,
        passwordHash: null,
        emailVerified: u.emailVerified,
      });
    else setPasswordHash(d.db, u.id, hash);
    const ended = endPasswordSessionsOf(d.db, u.id, d.now());
    const did =
      hash === null
        ? 'removed the local password of'
        : u.passwordHash
          ? 'reset the local password of'
          : 'set a local password for';
    record(d, {
      kind: 'user.password',
      email: u.email,
      reason: `${did} ${u.email}${ended ? `; ended ${ended} password session${ended === 1 ? '' : 's'}` : ''}`,
      changes: diffSettings(
        'user',
        { password: u.passwordHash },
        { password: hash },
        { plain: [], secret: ['password'] },
      ),
    });
  })();
  return userOutByEmail(d.db, u.email);
}

export function removeUser(d: DirectoryDeps, email: string): { ok: true } {
  const u = needUser(d.db, email);
  const owned = botsOwnedBy(d.db, u.id);
  if (owned.length > 0)
    throw conflict(
      `${u.email} owns ${owned.map((b) => b.name).join(', ')}: give ${owned.length === 1 ? 'that bot' : 'those bots'} another owner first`,
    );
  const lastOwnerOf = listMemberAccounts(d.db, u).filter(
    (m) => m.role === 'owner' && countOwners(d.db, m.accountId) === 1,
  );
  if (lastOwnerOf.length > 0)
    throw conflict(
      `${u.email} is the only owner of ${lastOwnerOf.map((m) => m.accountId).join(', ')}: make someone else owner first`,
    );
  endMemberAccess({
    db: d.db,
    now: d.now(),
    actor: d.actor ?? 'console',
    method: 'directory',
    accountId: null,
    scope: { kind: 'member', userId: u.id, email: u.email },
    audit: {
      kind: 'directory.user.delete',
      reason: `deleted user ${u.email} with their memberships, team places and sessions`,
      changes: [{ field: 'user', old: { email: u.email, name: u.name, externalId: u.externalId }, new: null }],
    },
    change: () => deleteUser(d.db, u.id),
  });
  return { ok: true };
}

const listMemberAccounts = (db: Db, u: UserRow): MemberRow[] =>
  listAccounts(db).flatMap((a) => {
    const m = getMembership(db, a.id, u.id);
    return m ? [m] : [];
  });

// ─── memberships ───

export function listDirectoryMembers(db: Db, accountId: string): DirectoryMember[] {
  needAccount(db, accountId);
  return listMembers(db, accountId).map(memberOut);
}

export function addMembership(
  d: DirectoryDeps,
  input: { account: string; email: string; role: Role },
): DirectoryMember {
  const a = needAccount(d.db, input.account);
  const u = needUser(d.db, input.email);
  if (getMembership(d.db, a.id, u.id)) throw conflict(`email: ${u.email} is already a member of ${a.name}`, 'email');
  d.db.transaction(() => {
    insertMembership(d.db, a.id, u.id, input.role);
    record(d, {
      kind: 'membership.add',
      accountId: a.id,
      email: u.email,
      reason: `added ${u.email} to ${a.name} as ${input.role}`,
      changes: [{ field: 'membership.role', old: null, new: input.role }],
    });
  })();
  return memberOut(needMember(d.db, a.id, u));
}

export function changeRole(d: DirectoryDeps, input: { account: string; email: string; role: Role }): DirectoryMember {
  const a = needAccount(d.db, input.account);
  const u = needUser(d.db, input.email);
  const m = needMember(d.db, a.id, u);
  if (m.role === input.role) return memberOut(m);
  if (m.role === 'owner' && countOwners(d.db, a.id) === 1)
    throw conflict(`role: ${u.email} is the only owner of ${a.name}: make someone else owner first`, 'role');
  d.db.transaction(() => {
    updateMembershipRole(d.db, a.id, u.id, input.role);
    record(d, {
      kind: 'membership.role',
      accountId: a.id,
      email: u.email,
      reason: `changed the role of ${u.email} in ${a.name} from ${m.role} to ${input.role}`,
      changes: [{ field: 'membership.role', old: m.role, new: input.role }],
    });
  })();
  return memberOut(needMember(d.db, a.id, u));
}

export function removeMembership(d: DirectoryDeps, input: { account: string; email: string }): { ok: true } {
  const a = needAccount(d.db, input.account);
  const u = needUser(d.db, input.email);
  const m = needMember(d.db, a.id, u);
  if (m.role === 'owner' && countOwners(d.db, a.id) === 1)
    throw conflict(`${u.email} is the only owner of ${a.name}: make someone else owner first`);
  endMemberAccess({
    db: d.db,
    now: d.now(),
    actor: d.actor ?? 'console',
    method: 'directory',
    accountId: a.id,
    scope: { kind: 'member', userId: u.id, email: u.email },
    audit: {
      kind: 'directory.membership.remove',
      reason: `removed ${u.email} from ${a.name}`,
      changes: [{ field: 'membership.role', old: m.role, new: null }],
    },
    change: () => deleteMembership(d.db, a.id, u.id),
  });
  return { ok: true };
}

/** Deactivates or reactivates a membership through the shared model (migration 7): status_by 'console'. */
export function setMemberStatus(
  d: DirectoryDeps,
  input: { account: string; email: string; status: 'active' | 'deactivated' },
): DirectoryMember {
  const a = needAccount(d.db, input.account);
  const u = needUser(d.db, input.email);
  const m = needMember(d.db, a.id, u);
  if (m.status === input.status) return memberOut(m);
  const actor = d.actor ?? 'console';
  const changes = [
    { field: 'membership.status', old: m.status, new: input.status },
    { field: 'membership.statusBy', old: m.statusBy, new: actor },
  ];
  const base = { db: d.db, now: d.now(), actor, method: 'directory', accountId: a.id };
  if (input.status === 'deactivated')
    endMemberAccess({
      ...base,
      scope: { kind: 'member', userId: u.id, email: u.email, deactivate: true },
      audit: { kind: 'directory.membership.deactivate', reason: `deactivated ${u.email} in ${a.name}`, changes },
    });
  else
    reactivateMember({
      ...base,
      userId: u.id,
      email: u.email,
      audit: { kind: 'directory.membership.reactivate', reason: `reactivated ${u.email} in ${a.name}`, changes },
    });
  return memberOut(needMember(d.db, a.id, u));
}

// ─── bots and teams ───

export function listDirectoryBots(db: Db): DirectoryBot[] {
  return listAccounts(db).flatMap((a) => {
    const keys = listKeys(db, a.id).filter((k) => k.revokedAt === null);
    return listBots(db, a.id).map((b) => {
      const key = keys.find((k) => k.botId === b.id && k.kind === 'bot_key');
      const secret = keys.find((k) => k.botId === b.id && k.kind === 'bot_secret');
      return {
        id: b.id,
        account: a.id,
        name: b.name,
        owner: b.ownerEmail,
        key: key ? { last4: key.last4, createdAt: key.createdAt } : null,
        secret: secret ? { last4: secret.last4, createdAt: secret.createdAt } : null,
        team: listTeam(db, b.id).map((t) => ({ email: t.email, level: t.level })),
      };
    });
  });
}

const botOut = (db: Db, id: string): DirectoryBot => {
  const b = listDirectoryBots(db).find((x) => x.id === id);
  if (!b) throw notFound(`no bot "${id}"`);
  return b;
};

export function createBot(
  d: DirectoryDeps,
  input: { id: string; account: string; name: string; owner: string },
): DirectoryBot {
  const a = needAccount(d.db, input.account);
  if (getBot(d.db, input.id)) throw conflict(`id: a bot "${input.id}" exists already`, 'id');
  const owner = findUserByEmail(d.db, input.owner);
  if (!owner) throw invalidInput('owner', `unknown user "${input.owner}"`);
  d.db.transaction(() => {
    insertBot(d.db, { id: input.id, accountId: a.id, name: input.name, ownerUserId: owner.id }, d.now());
    record(d, {
      kind: 'bot.create',
      accountId: a.id,
      email: owner.email,
      reason: `created bot ${input.name} (${input.id}) in ${a.name}, owned by ${owner.email}`,
      changes: diffSettings(
        'bot',
        null,
        { id: input.id, name: input.name, owner: owner.email },
        { plain: ['id', 'name', 'owner'] },
      ),
    });
  })();
  return botOut(d.db, input.id);
}

export function updateDirectoryBot(
  d: DirectoryDeps,
  input: { id: string; name?: string | undefined; owner?: string | undefined },
): DirectoryBot {
  const b = needBot(d.db, input.id);
  const owner = input.owner === undefined ? undefined : findUserByEmail(d.db, input.owner);
  if (input.owner !== undefined && !owner) throw invalidInput('owner', `unknown user "${input.owner}"`);
  const after = { name: input.name ?? b.name, owner: owner?.email ?? b.ownerEmail };
  const changes = diffSettings('bot', { name: b.name, owner: b.ownerEmail }, after, { plain: ['name', 'owner'] });
  if (changes.length > 0) {
    d.db.transaction(() => {
      updateBot(d.db, b.id, { name: after.name, ownerUserId: owner?.id });
      record(d, {
        kind: 'bot.update',
        accountId: b.accountId,
        reason: `changed ${changedFields(changes)} of bot ${after.name}`,
        changes,
      });
    })();
  }
  return botOut(d.db, b.id);
}

export function removeBot(d: DirectoryDeps, id: string): { ok: true } {
  const b = needBot(d.db, id);
  d.db.transaction(() => {
    deleteBot(d.db, id);
    record(d, {
      kind: 'bot.delete',
      accountId: b.accountId,
      reason: `deleted bot ${b.name} (${b.id}) with its team, keys and tokens`,
      changes: [{ field: 'bot', old: { id: b.id, name: b.name, owner: b.ownerEmail }, new: null }],
    });
  })();
  return { ok: true };
}

/** A new key pair for a bot, by the Keys screen's own rotation (hashed, audited); the values this once. */
export function generateBotKeys(
  d: DirectoryDeps,
  id: string,
): { apiKey: string; apiSecret: string; replaced: boolean } {
  const b = needBot(d.db, id);
  const actor = d.actor ?? 'console';
  return d.db.transaction(() => {
    const key = rotateKey(d.db, { account: b.accountId, bot: b.id, kind: 'bot_key' }, d.now(), actor);
    const secret = rotateKey(d.db, { account: b.accountId, bot: b.id, kind: 'bot_secret' }, d.now(), actor);
    return { apiKey: key.value, apiSecret: secret.value, replaced: key.replaced || secret.replaced };
  })();
}

export function setTeam(d: DirectoryDeps, input: { bot: string; email: string; level: TeamLevel }): DirectoryBot {
  const b = needBot(d.db, input.bot);
  const u = findUserByEmail(d.db, input.email);
  if (!u) throw invalidInput('email', `unknown user "${input.email}"`);
  const before = listTeam(d.db, b.id).find((t) => t.userId === u.id)?.level ?? null;
  if (before !== input.level) {
    d.db.transaction(() => {
      setTeamLevel(d.db, b.id, u.id, input.level);
      record(d, {
        kind: before ? 'team.level' : 'team.add',
        accountId: b.accountId,
        email: u.email,
        reason: before
          ? `changed ${u.email} on ${b.name}'s team from ${before} to ${input.level}`
          : `put ${u.email} on ${b.name}'s team as ${input.level}`,
        changes: [{ field: `team.${b.id}.level`, old: before, new: input.level }],
      });
    })();
  }
  return botOut(d.db, b.id);
}

export function removeTeam(d: DirectoryDeps, input: { bot: string; email: string }): DirectoryBot {
  const b = needBot(d.db, input.bot);
  const u = needUser(d.db, input.email);
  const before = listTeam(d.db, b.id).find((t) => t.userId === u.id)?.level;
  if (!before) throw notFound(`${u.email} is not on ${b.name}'s team`);
  endMemberAccess({
    db: d.db,
    now: d.now(),
    actor: d.actor ?? 'console',
    method: 'directory',
    accountId: b.accountId,
    scope: { kind: 'bot', userId: u.id, email: u.email, botId: b.id },
    audit: {
      kind: 'directory.team.remove',
      reason: `took ${u.email} off ${b.name}'s team`,
      changes: [{ field: `team.${b.id}.level`, old: before, new: null }],
    },
    change: () => removeTeamMember(d.db, b.id, u.id),
  });
  return botOut(d.db, b.id);
}

// ─── the user page ───

export function userPage(db: Db, email: string, now: number): UserPage {
  const u = needUser(db, email);
  const verdict = decide(db, u.email);
  const decisions = verdict.kind === 'decided' ? verdict.accounts : [];
  const accounts = listMemberAccounts(db, u).map((m) => {
    const a = getAccount(db, m.accountId)!;
    const dcs = decisions.find((x) => x.accountId === m.accountId);
    const method = !dcs || !dcs.active ? 'refused' : dcs.ssoEnabled ? 'sso' : (dcs.passwordMethod ?? 'refused');
    const ent = enterpriseOfMembership(db, a.id, u.id);
    const sent = ent && Object.values(ent).some((v) => v !== null);
    return {
      accountId: a.id,
      accountName: a.name,
      ...membershipState(m),
      method,
      reason: dcs?.reason ?? `${u.email}: no sign-in decision for ${a.name}`,
      enterprise: sent ? ent : null,
    } as const;
  });
  const names = new Map(listAccounts(db).map((a) => [a.id, a.name]));
  const owned = botsOwnedBy(db, u.id).map((b) => ({ ...needBot(db, b.id), place: 'owner' }));
  const places = teamPlacesOf(db, u.id).map((t) => ({ ...needBot(db, t.botId), place: `team: ${t.level}` }));
  // The audit's full-text index finds the events that name this email; the last 20, newest first.
  const audit = queryAudit(db, { text: u.email }, { limit: 60 })
    .filter(
      (e) =>
        e.email?.toLowerCase() === u.email.toLowerCase() || e.reason?.toLowerCase().includes(u.email.toLowerCase()),
    )
    .slice(0, 20)
    .map(({ detail: _detail, ...row }) => ({
      ...row,
      accountName: row.accountId === null ? null : (names.get(row.accountId) ?? null),
    }));
  return {
    user: userOut(u, accounts.length, membershipStates(db).get(u.id)),
    lockouts: [],
    accounts,
    bots: [...owned, ...places].map((b) => ({ id: b.id, name: b.name, account: b.accountId, place: b.place })),
    sessions: openSessionsOf(db, u.id, now).map((s) => ({ ...s, accountName: names.get(s.accountId) ?? s.accountId })),
    deepLinks: openDeepLinksOf(db, u.id, now).map((t) => ({
      id: t.id,
      accountId: t.accountId,
      accountName: names.get(t.accountId) ?? t.accountId,
      bot: t.botId,
      botName: t.botId === null ? null : (getBot(db, t.botId)?.name ?? t.botId),
      issuedAt: t.issuedAt,
      expiresAt: t.expiresAt,
      opened: t.opened,
    })),
    audit,
  };
}

/** Revokes one unexpired deep link of a user on the user page: the one way, `endMemberAccess`. */
export function revokeUserDeepLink(d: DirectoryDeps, input: { email: string; id: number }): { ok: true } {
  const u = needUser(d.db, input.email);
  const now = d.now();
  const link = openDeepLinksOf(d.db, u.id, now).find((t) => t.id === input.id);
  if (!link) throw new DeskError('not_found', `no unexpired deep link ${input.id} of ${u.email}`, { status: 404 });
  const bot = link.botId === null ? null : (getBot(d.db, link.botId)?.name ?? link.botId);
  endMemberAccess({
    db: d.db,
    now,
    actor: d.actor ?? 'console',
    method: 'directory',
    accountId: link.accountId,
    scope: { kind: 'deep-link', userId: u.id, email: u.email, tokenId: link.id },
    audit: {
      kind: 'directory.deep-link.revoke',
      reason: `revoked a deep link of ${u.email}${bot ? ` into ${bot}` : ''}`,
      changes: [{ field: `deep-link.${link.id}`, old: 'open', new: 'revoked' }],
    },
  });
  return { ok: true };
}

export function endUserSession(
  d: DirectoryDeps,
  input: { email: string; kind: SessionKind; id: number },
): { ok: true } {
  const u = needUser(d.db, input.email);
  const session = openSessionsOf(d.db, u.id, d.now()).find((s) => s.kind === input.kind && s.id === input.id);
  if (!session)
    throw new DeskError('not_found', `no open ${input.kind} session ${input.id} of ${u.email}`, { status: 404 });
  d.db.transaction(() => {
    endSessionOf(d.db, u.id, input.kind, input.id, d.now());
    record(d, {
      kind: 'session.end',
      accountId: session.accountId,
      email: u.email,
      reason: `ended a ${input.kind} session of ${u.email} in ${session.accountId}`,
      changes: [{ field: `session.${input.kind}`, old: 'open', new: 'ended' }],
    });
  })();
  return { ok: true };
}
