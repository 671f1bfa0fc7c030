import { randomUUID } from 'node:crypto';
import {
  addGroupMember,
  countGroupMembers,
  deleteScimGroup,
  findScimGroupByName,
  getScimGroup,
  groupMembers,
  insertScimGroup,
  listScimGroups,
  removeGroupMember,
  renameGroupTeams,
  updateScimGroup,
  type ScimGroupRow,
  scimUserSeqs,
  touchScimGroup,
} from '../../store/scim';
import type { Db } from '../../store/db';
import { ScimError, badRequest, notFoundScim } from './errors';
import { indexedLookup, parseFilter, predicate } from './filter';
import { applyPatch, normalizePatch, type MemberOp } from './patch';
import { project } from './resource';
import { CANONICAL, GROUP_URN, READ_ONLY_KEYS } from './schema';
import { syncTeams } from './teams';
import type { ListQuery, ScimCaller } from './users';

const iso = (ms: number): string => new Date(ms).toISOString();
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Members go in the member table, never in the stored resource. */
interface GroupFields {
  displayName: string;
  externalId: string | null;
  members: string[] | undefined;
  resource: Record<string, unknown>;
}

/**
 * Reads a Group (POST, PUT): `displayName` required; `members` may be missing or empty; extra schema
 * URNs (Entra ID sends `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group`) are kept.
 */
function readGroup(body: unknown): GroupFields {
  if (!isObject(body)) throw badRequest('a Group is a JSON object', 'invalidSyntax');
  const resource: Record<string, unknown> = {};
  let members: string[] | undefined;
  for (const [k, v] of Object.entries(body)) {
    const key = CANONICAL.get(k.toLowerCase()) ?? k;
    if (READ_ONLY_KEYS.has(key)) continue;
    if (key === 'members') {
      if (v === null || v === undefined) members = [];
      else if (!Array.isArray(v)) throw badRequest('"members" must be an array');
      else
        members = v.map((m) => {
          const id = isObject(m) ? m.value : undefined;
          if (typeof id !== 'string' || id === '') throw badRequest('each member needs a "value" that is a user id');
          return id;
        });
      continue;
    }
    resource[key] = v;
  }
  const displayName = typeof resource.displayName === 'string' ? resource.displayName.trim() : '';
  if (!displayName) throw badRequest('"displayName" is required and must be a non-empty string');
  if (displayName.length > 256) throw badRequest('"displayName" is over 256 characters');
  resource.displayName = displayName;
  if (resource.externalId !== undefined && resource.externalId !== null && typeof resource.externalId !== 'string')
    throw badRequest('"externalId" must be a string');
  const schemas = new Set([
    GROUP_URN,
    ...(Array.isArray(resource.schemas) ? resource.schemas.filter((s): s is string => typeof s === 'string') : []),
  ]);
  resource.schemas = [...schemas];
  return {
    displayName,
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
    members,
    resource,
  };
}

export function groupResource(c: ScimCaller, row: ScimGroupRow, withMembers = true): Record<string, unknown> {
  const stored = JSON.parse(row.resource) as Record<string, unknown>;
  const db = c.ctx.store.db;
  return {
    ...stored,
    id: row.id,
    displayName: row.displayName,
    ...(withMembers
      ? {
          members: groupMembers(db, row.seq).map((m) => ({
            value: m.id,
            display: m.userName,
            $ref: `${c.base}/Users/${m.id}`,
            type: 'User',
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: iso(row.createdAt),
      lastModified: iso(row.updatedAt),
      location: `${c.base}/Groups/${row.id}`,
      version: `W/"${row.updatedAt}"`,
    },
  };
}

/**
 * Applies membership set operations. Unknown ids are refused for add/replace (400 invalidValue: the
 * IdP must provision the user first) and ignored for remove (already not a member).
 */
function applyMembers(c: ScimCaller, row: ScimGroupRow, ops: MemberOp[]): void {
  const db = c.ctx.store.db;
  let added = 0;
  let removed = 0;
  for (const op of ops) {
    const seqs = scimUserSeqs(db, c.accountId, op.ids);
    if (op.op !== 'remove') {
      const missing = op.ids.filter((id) => !seqs.has(id));
      if (missing.length > 0)
        throw badRequest(
          `no user with id ${missing
            .slice(0, 3)
            .map((m) => `"${m.slice(0, 64)}"`)
            .join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''} in this account`,
          'invalidValue',
        );
    }
    if (op.op === 'replace' || (op.op === 'remove' && op.all)) {
      const want = new Set(op.op === 'replace' ? seqs.values() : []);
      for (const m of groupMembers(db, row.seq))
        if (!want.has(m.seq) && removeGroupMember(db, row.seq, m.seq)) removed++;
      for (const s of want) if (addGroupMember(db, row.seq, s)) added++;
    } else if (op.op === 'add') {
      for (const s of seqs.values()) if (addGroupMember(db, row.seq, s)) added++;
    } else {
      for (const s of seqs.values()) if (removeGroupMember(db, row.seq, s)) removed++;
    }
  }
  if (added || removed) c.changes.push(`${row.displayName}: ${added} members added, ${removed} removed`);
}

function afterMembershipChange(c: ScimCaller): void {
  const r = syncTeams(c.ctx.store.db, c.accountId, { actor: `scim:${c.idp}`, method: 'scim', now: c.ctx.clock.now() });
  if (r.added || r.changed || r.removed)
    c.changes.push(`bot teams: ${r.added} added, ${r.changed} changed, ${r.removed} removed`);
}

const nameTaken = (name: string) =>
  new ScimError(409, `a group named "${name.slice(0, 200)}" already exists in this account`, 'uniqueness');

/** `POST /Groups`. @throws ScimError 400, 409 `uniqueness` for a displayName in use. */
export function createGroup(c: ScimCaller, body: unknown): Record<string, unknown> {
  const fields = readGroup(body);
  const db = c.ctx.store.db;
  const now = c.ctx.clock.now();
  const row = db.transaction(() => {
    if (findScimGroupByName(db, c.accountId, fields.displayName)) throw nameTaken(fields.displayName);
    const id = randomUUID();
    insertScimGroup(db, {
      id,
      accountId: c.accountId,
      displayName: fields.displayName,
      externalId: fields.externalId,
      resource: JSON.stringify(fields.resource),
      createdAt: now,
      updatedAt: now,
    });
    const created = getScimGroup(db, c.accountId, id)!;
    c.changes.push(`created group ${fields.displayName}`);
    if (fields.members && fields.members.length > 0)
      applyMembers(c, created, [{ op: 'add', ids: fields.members, all: false }]);
    afterMembershipChange(c);
    return created;
  })();
  return groupResource(c, row);
}

export function getGroupResource(c: ScimCaller, id: string, withMembers: boolean): Record<string, unknown> {
  const row = getScimGroup(c.ctx.store.db, c.accountId, id);
  if (!row) throw notFoundScim(`no group with id "${id.slice(0, 100)}" in this account`);
  return groupResource(c, row, withMembers);
}

function rename(c: ScimCaller, row: ScimGroupRow, displayName: string): void {
  const db = c.ctx.store.db;
  if (displayName === row.displayName) return;
  const clash = findScimGroupByName(db, c.accountId, displayName);
  if (clash && clash.seq !== row.seq) throw nameTaken(displayName);
  renameGroupTeams(db, c.accountId, row.displayName, displayName);
  c.changes.push(`renamed group ${row.displayName} → ${displayName}`);
}

/** `PUT /Groups/{id}`: attributes replaced; members replaced when the body has `members`. */
export function replaceGroup(c: ScimCaller, id: string, body: unknown): Record<string, unknown> {
  const fields = readGroup(body);
  const db = c.ctx.store.db;
  const row = db.transaction(() => {
    const current = getScimGroup(db, c.accountId, id);
    if (!current) throw notFoundScim(`no group with id "${id.slice(0, 100)}" in this account`);
    rename(c, current, fields.displayName);
    updateScimGroup(db, current.seq, {
      displayName: fields.displayName,
      externalId: fields.externalId,
      resource: JSON.stringify(fields.resource),
      updatedAt: Math.max(c.ctx.clock.now(), current.updatedAt + 1),
    });
    if (fields.members !== undefined) applyMembers(c, current, [{ op: 'replace', ids: fields.members, all: false }]);
    afterMembershipChange(c);
    return getScimGroup(db, c.accountId, id)!;
  })();
  return groupResource(c, row);
}

/**
 * `PATCH /Groups/{id}` in either dialect. Entra ID expects 204 for a group PATCH, Okta 200 or 204;
 * the caller answers 204 unless the IdP asked for attributes back.
 */
export function patchGroup(c: ScimCaller, id: string, body: unknown): ScimGroupRow {
  const db = c.ctx.store.db;
  return db.transaction(() => {
    const current = getScimGroup(db, c.accountId, id);
    if (!current) throw notFoundScim(`no group with id "${id.slice(0, 100)}" in this account`);
    const stored = JSON.parse(current.resource) as Record<string, unknown>;
    const known = (top: string) =>
      CANONICAL.has(top.toLowerCase()) || Object.keys(stored).some((k) => k.toLowerCase() === top.toLowerCase());
    const { ops, members } = normalizePatch(body, 'Group', known);
    let next = current;
    if (ops.length > 0) {
      const after = applyPatch({ ...stored, displayName: current.displayName }, ops, 'Group');
      const fields = readGroup(after);
      rename(c, current, fields.displayName);
      updateScimGroup(db, current.seq, {
        displayName: fields.displayName,
        externalId: fields.externalId,
        resource: JSON.stringify(fields.resource),
        updatedAt: Math.max(c.ctx.clock.now(), current.updatedAt + 1),
      });
      next = getScimGroup(db, c.accountId, id)!;
    }
    if (members.length > 0) {
      applyMembers(c, next, members);
      touchScimGroup(db, next.seq, Math.max(c.ctx.clock.now(), next.updatedAt + 1));
      afterMembershipChange(c);
    }
    return getScimGroup(db, c.accountId, id)!;
  })();
}

export function deleteGroup(c: ScimCaller, id: string): void {
  const db = c.ctx.store.db;
  db.transaction(() => {
    const row = getScimGroup(db, c.accountId, id);
    if (!row) throw notFoundScim(`no group with id "${id.slice(0, 100)}" in this account`);
    deleteScimGroup(db, row.seq);
    c.changes.push(`deleted group ${row.displayName}`);
    afterMembershipChange(c);
  })();
}

/** `GET /Groups`: filters by the library; `displayName eq`/`id eq`/`externalId eq` read few rows anyway. */
export function listGroups(c: ScimCaller, q: ListQuery): { total: number; rows: Array<Record<string, unknown>> } {
  const db = c.ctx.store.db;
  const withMembers =
    !(q.excluded ?? []).some((a) => a.toLowerCase() === 'members') &&
    (!q.attributes || q.attributes.some((a) => a.toLowerCase() === 'members'));
  let rows = listScimGroups(db, c.accountId);
  if (q.filter) {
    const f = parseFilter(q.filter);
    const idx = indexedLookup(f);
    if (idx?.column === 'id') rows = rows.filter((r) => r.id === idx.value);
    const test = predicate(f);
    const needsMembers = /members/i.test(q.filter);
    rows = rows.filter((r) => test(groupResource(c, r, needsMembers)));
  }
  const page = rows.slice(q.startIndex - 1, q.startIndex - 1 + q.count);
  return {
    total: rows.length,
    rows: page.map((r) => project(groupResource(c, r, withMembers), q.attributes, q.excluded)),
  };
}

export const memberCount = (db: Db, row: ScimGroupRow): number => countGroupMembers(db, row.seq);
