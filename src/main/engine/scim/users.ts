import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context';
import { getMembership, insertMembership } from '../../store/accounts';
import { describeEnded, endMemberAccess, reactivateMember } from '../access/end-access';
import { botsOwnedBy, deleteMembership } from '../../store/directory';
import {
  deleteUser as deleteUserRow,
  findUserByEmail,
  getUser,
  insertUser,
  setPasswordHash,
  setUserEmail,
  setUserNameAndExternalId,
} from '../../store/users';
import { getOidc, getPassthrough } from '../../store/sso-config';
import {
  countMemberships,
  countScimUsers,
  deleteScimUser,
  findScimUserByUserName,
  getScimUser,
  groupsOfUser,
  insertScimUser,
  isProvisioned,
  iterateScimUsers,
  markProvisioned,
  pageScimUsers,
  scimUsersWhere,
  updateScimUser,
  type ScimUserRow,
} from '../../store/scim';
import { hashPassword } from '../crypto/hash';
import { ScimError, badRequest, notFoundScim } from './errors';
import { indexedLookup, parseFilter, predicate } from './filter';
import { applyPatch, normalizePatch } from './patch';
import { readUser, type UserFields } from './resource';
import { CANONICAL, ENTERPRISE_URN } from './schema';
import { dropUserFromTeams, syncTeams } from './teams';

/** Who is calling and for which account: the token decided the account, the User-Agent the IdP. */
export interface ScimCaller {
  ctx: EngineContext;
  accountId: string;
  idp: string;
  /** `<api>/scim/v2`, for `meta.location`. */
  base: string;
  /** What the request changed, for the provisioning log. */
  changes: string[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The SCIM representation of a stored user (RFC 7643 §4.1): the stored resource, id, active, groups, meta. */
export function userResource(c: ScimCaller, row: ScimUserRow, withGroups = true): Record<string, unknown> {
  const stored = JSON.parse(row.resource) as Record<string, unknown>;
  return {
    ...stored,
    id: row.id,
    active: row.status === 'active',
    ...(withGroups
      ? {
          groups: groupsOfUser(c.ctx.store.db, row.seq).map((g) => ({
            value: g.id,
            display: g.displayName,
            $ref: `${c.base}/Groups/${g.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: 'User',
      created: iso(row.createdAt),
      lastModified: iso(row.updatedAt),
      location: `${c.base}/Users/${row.id}`,
      version: `W/"${row.updatedAt}"`,
    },
  };
}

/** The top-level attributes a User PATCH path may name without a URN: the schema's, and any kept unknown ones. */
const knownUserTop =
  (stored: Record<string, unknown>) =>
  (top: string): boolean =>
    CANONICAL.has(top.toLowerCase()) || Object.keys(stored).some((k) => k.toLowerCase() === top.toLowerCase());

/** Whether the account checks passwords elsewhere (SSO or pass-through): then a provisioned password is dropped. */
function passwordsElsewhere(c: ScimCaller): boolean {
  const { db } = c.ctx.store;
  const oidc = getOidc(db, c.accountId);
  return Boolean(oidc?.enabled) || Boolean(getPassthrough(db, c.accountId)?.enabled);
}

async function passwordHashFor(c: ScimCaller, password: string | undefined): Promise<string | null> {
  if (password === undefined) return null;
  if (passwordsElsewhere(c)) {
    c.changes.push('password dropped (the account signs in through SSO or pass-through)');
    return null;
  }
  c.changes.push('password set (hashed)');
  return hashPassword(password);
}

/** Switches the membership to match `active`, ending every session and deep link on deactivation. */
function applyActive(c: ScimCaller, userId: number, active: boolean | undefined): void {
  if (active === undefined) return;
  const { db } = c.ctx.store;
  const m = getMembership(db, c.accountId, userId);
  if (!m) return;
  const now = c.ctx.clock.now();
  const base = { db, now, actor: `scim:${c.idp}`, method: 'scim', accountId: c.accountId };
  const changes = (to: string) => [{ field: 'membership.status', old: m.status, new: to }];
  if (!active && m.status === 'active') {
    const ended = endMemberAccess({
      ...base,
      scope: { kind: 'member', userId, email: m.email, deactivate: true },
      audit: {
        kind: 'scim.user.deactivate',
        reason: `deactivated ${m.email} in ${c.accountId} by provisioning from ${c.idp}`,
        changes: changes('deactivated'),
      },
    });
    const said = describeEnded(ended);
    c.changes.push(`deactivated ${m.email}${said ? ` (${said})` : ''}`);
  } else if (active && m.status === 'deactivated') {
    reactivateMember({
      ...base,
      userId,
      email: m.email,
      audit: {
        kind: 'scim.user.reactivate',
        reason: `reactivated ${m.email} in ${c.accountId} by provisioning from ${c.idp}`,
        changes: changes('active'),
      },
    });
    c.changes.push(`reactivated ${m.email}`);
  }
}

const uniqueness = (userName: string) =>
  new ScimError(409, `a user with userName "${userName.slice(0, 200)}" already exists in this account`, 'uniqueness');

/**
 * Points the membership's user at `fields.email` and refreshes name, externalId and password when the
 * user is this account's alone (a user shared with other accounts keeps what those accounts rely on).
 */
function updateUserRecord(c: ScimCaller, userId: number, fields: UserFields, passwordHash: string | null): void {
  const { db } = c.ctx.store;
  const user = getUser(db, userId)!;
  const solo = countMemberships(db, userId) <= 1;
  if (user.email.toLowerCase() !== fields.email) {
    const other = findUserByEmail(db, fields.email);
    if (other && other.id !== userId)
      throw new ScimError(409, `the email ${fields.email} belongs to another user`, 'uniqueness');
    if (!solo)
      throw new ScimError(
        400,
        `the email of ${user.email} cannot change here: the user belongs to other accounts too`,
        'mutability',
      );
    setUserEmail(db, userId, fields.email);
    c.changes.push(`email ${user.email} → ${fields.email}`);
  }
  if (!solo) return;
  if (user.name !== fields.name || user.externalId !== fields.externalId) {
    setUserNameAndExternalId(db, userId, fields.name, fields.externalId);
  }
  if (passwordHash) setPasswordHash(db, userId, passwordHash);
}

/**
 * A create whose email is an existing user's links to that user and changes nothing of them: name,
 * external ID and password stay what the directory has (a later PUT or PATCH of this SCIM user may
 * update them). The note says so, in the request's audit event and on the Provisioning screen.
 */
function linkNote(user: { email: string; name: string; externalId: string | null }, fields: UserFields): string {
  const kept: string[] = [];
  if (fields.name && fields.name !== user.name) kept.push(`name "${user.name}" (the IdP sent "${fields.name}")`);
  if (fields.externalId && fields.externalId !== user.externalId)
    kept.push(`external ID ${user.externalId ?? '(none)'} (the IdP sent ${fields.externalId})`);
  if (fields.password !== undefined) kept.push('the password (the IdP sent one; not applied)');
  return `linked to the existing user ${user.email}${kept.length ? `; kept their ${kept.join(', ')}` : ''}`;
}

/** `POST /Users` (RFC 7644 §3.3). @throws ScimError 400, 409 `uniqueness`. */
export async function createUser(c: ScimCaller, body: unknown): Promise<Record<string, unknown>> {
  const fields = readUser(body);
  const { db } = c.ctx.store;
  if (findScimUserByUserName(db, c.accountId, fields.userName)) throw uniqueness(fields.userName);
  // An existing user keeps their password (see linkNote): nothing to hash for them.
  const passwordHash = findUserByEmail(db, fields.email) ? null : await passwordHashFor(c, fields.password);
  const now = c.ctx.clock.now();
  const row = db.transaction(() => {
    // Checked again inside the transaction: the KDF above yields to other requests.
    if (findScimUserByUserName(db, c.accountId, fields.userName)) throw uniqueness(fields.userName);
    let user = findUserByEmail(db, fields.email);
    if (user) c.changes.push(linkNote(user, fields));
    else {
      const id = insertUser(
        db,
        { email: fields.email, name: fields.name, externalId: fields.externalId, passwordHash, emailVerified: true },
        now,
      );
      user = getUser(db, id)!;
      c.changes.push(`created user ${fields.email}`);
    }
    const membership = getMembership(db, c.accountId, user.id);
    if (!membership) {
      insertMembership(db, c.accountId, user.id, 'member');
      c.changes.push(`${fields.email} joined ${c.accountId} as member`);
    } else {
      const taken = isProvisioned(db, c.accountId, user.id);
      if (taken)
        throw new ScimError(
          409,
          `${fields.email} is already provisioned in this account under another userName`,
          'uniqueness',
        );
    }
    markProvisioned(db, c.accountId, user.id, c.idp, now);
    const id = randomUUID();
    insertScimUser(db, {
      id,
      accountId: c.accountId,
      userId: user.id,
      userName: fields.userName,
      externalId: fields.externalId,
      resource: JSON.stringify(fields.resource),
      createdAt: now,
      updatedAt: now,
    });
    applyActive(c, user.id, fields.active ?? true);
    return getScimUser(db, c.accountId, id)!;
  })();
  return userResource(c, row);
}

export function getUserResource(c: ScimCaller, id: string): Record<string, unknown> {
  const row = getScimUser(c.ctx.store.db, c.accountId, id);
  if (!row) throw notFoundScim(`no user with id "${id.slice(0, 100)}" in this account`);
  return userResource(c, row);
}

/** Writes new fields over an existing user (PUT and PATCH). */
async function rewrite(c: ScimCaller, row: ScimUserRow, fields: UserFields): Promise<Record<string, unknown>> {
  const { db } = c.ctx.store;
  const passwordHash = await passwordHashFor(c, fields.password);
  const now = c.ctx.clock.now();
  const out = db.transaction(() => {
    const current = getScimUser(db, c.accountId, row.id);
    if (!current) throw notFoundScim(`no user with id "${row.id}" in this account`);
    const clash = findScimUserByUserName(db, c.accountId, fields.userName);
    if (clash && clash.seq !== current.seq) throw uniqueness(fields.userName);
    if (current.userName !== fields.userName) c.changes.push(`userName ${current.userName} → ${fields.userName}`);
    updateUserRecord(c, current.userId, fields, passwordHash);
    updateScimUser(db, current.seq, {
      userName: fields.userName,
      externalId: fields.externalId,
      resource: JSON.stringify(fields.resource),
      updatedAt: Math.max(now, current.updatedAt + 1),
    });
    applyActive(c, current.userId, fields.active);
    return getScimUser(db, c.accountId, row.id)!;
  })();
  return userResource(c, out);
}

/** `PUT /Users/{id}` (RFC 7644 §3.5.1): the resource is replaced; `active` left out keeps its state. */
export async function replaceUser(c: ScimCaller, id: string, body: unknown): Promise<Record<string, unknown>> {
  const row = getScimUser(c.ctx.store.db, c.accountId, id);
  if (!row) throw notFoundScim(`no user with id "${id.slice(0, 100)}" in this account`);
  const fields = readUser(body);
  c.changes.push(`replaced ${fields.userName}`);
  return rewrite(c, row, fields);
}

/** `PATCH /Users/{id}` in Okta's or Entra ID's dialect (see patch.ts). */
export async function patchUser(c: ScimCaller, id: string, body: unknown): Promise<Record<string, unknown>> {
  const row = getScimUser(c.ctx.store.db, c.accountId, id);
  if (!row) throw notFoundScim(`no user with id "${id.slice(0, 100)}" in this account`);
  const stored = JSON.parse(row.resource) as Record<string, unknown>;
  const { ops } = normalizePatch(body, 'User', knownUserTop(stored));
  const before = { ...stored, active: row.status === 'active' };
  const after = applyPatch(before, ops, 'User');
  const fields = readUser(after);
  if (fields.active === before.active) fields.active = undefined;
  const touched = ops
    .map((o) => o.path ?? Object.keys((o.value as Record<string, unknown>) ?? {}).join(', '))
    .join('; ');
  c.changes.push(`patched ${fields.userName}: ${touched.slice(0, 300)}`);
  return rewrite(c, row, fields);
}

/**
 * `DELETE /Users/{id}`: removes the membership (sessions and deep links end, team places made by
 * provisioning go), and the user too when no account is left and they own no bot.
 */
export function deleteUser(c: ScimCaller, id: string): void {
  const { db } = c.ctx.store;
  db.transaction(() => {
    const row = getScimUser(db, c.accountId, id);
    if (!row) throw notFoundScim(`no user with id "${id.slice(0, 100)}" in this account`);
    const user = getUser(db, row.userId);
    const now = c.ctx.clock.now();
    const email = user?.email ?? row.userName;
    endMemberAccess({
      db,
      now,
      actor: `scim:${c.idp}`,
      method: 'scim',
      accountId: c.accountId,
      scope: { kind: 'member', userId: row.userId, email },
      audit: { kind: 'scim.user.delete', reason: `removed ${email} from ${c.accountId} by provisioning from ${c.idp}` },
      change: () => {
        deleteScimUser(db, row.seq);
        dropUserFromTeams(db, c.accountId, row.userId);
        deleteMembership(db, c.accountId, row.userId);
      },
    });
    c.changes.push(`removed ${email} from ${c.accountId}`);
    const ownsBot = botsOwnedBy(db, row.userId).length > 0;
    if (countMemberships(db, row.userId) === 0 && !ownsBot) {
      deleteUserRow(db, row.userId);
      c.changes.push(`deleted user ${user?.email ?? row.userName} (no account left)`);
    }
  })();
  // Group membership rows went with the user row; mapped teams follow.
  syncTeams(c.ctx.store.db, c.accountId, { actor: `scim:${c.idp}`, method: 'scim', now: c.ctx.clock.now() });
}

export interface ListQuery {
  filter: string | null;
  startIndex: number;
  count: number;
  attributes: string[] | null;
  excluded: string[] | null;
}

/**
 * `GET /Users` (RFC 7644 §3.4.2): a filter with an indexed `eq` conjunct reads the index (see filter.ts),
 * other filters scan the account in stable order; paging is 1-based.
 */
export function listUsers(c: ScimCaller, q: ListQuery): { total: number; rows: Array<Record<string, unknown>> } {
  const { db } = c.ctx.store;
  const offset = q.startIndex - 1;
  if (!q.filter) {
    const total = countScimUsers(db, c.accountId);
    const rows = q.count === 0 ? [] : pageScimUsers(db, c.accountId, offset, q.count);
    return { total, rows: rows.map((r) => userResource(c, r)) };
  }
  const f = parseFilter(q.filter);
  const test = predicate(f);
  const index = indexedLookup(f);
  const source: Iterable<ScimUserRow> = index
    ? scimUsersWhere(db, c.accountId, index.column, index.value)
    : iterateScimUsers(db, c.accountId);
  const matches: Array<Record<string, unknown>> = [];
  let total = 0;
  const mentionsGroups = /groups/i.test(q.filter);
  for (const row of source) {
    const res = userResource(c, row, mentionsGroups);
    if (!test(res)) continue;
    total++;
    if (total > offset && matches.length < q.count)
      matches.push(mentionsGroups ? res : { ...res, groups: userResource(c, row).groups });
  }
  return { total, rows: matches };
}

export { ENTERPRISE_URN };
export const assertObject = (v: unknown): void => {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw badRequest('the body must be a JSON object', 'invalidSyntax');
};
