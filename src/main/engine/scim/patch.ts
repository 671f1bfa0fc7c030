import { scimPatch, ScimError as LibraryPatchError, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { parse } from 'scim2-parse-filter';
import { badRequest, ScimError } from './errors';
import { BOOLEAN_ATTRS, CANONICAL, ENTERPRISE_URN, GROUP_URN, PATCH_URN, READ_ONLY_KEYS, USER_URN } from './schema';

/*
 * PATCH (RFC 7644 §3.5.2) is applied by `scim-patch`: it resolves paths (URN-qualified, dotted,
 * value-filtered such as `emails[type eq "work"].value`), adds, replaces and removes, treats a replace
 * of a missing filtered target as an add, and reports noTarget/invalidSyntax. It implements the RFC;
 * Okta and Entra ID each speak their own dialect of it. This module is the small layer in front that
 * turns both dialects into the RFC form the library expects:
 *
 * - Entra ID sends `op` capitalised ("Add", "Replace", "Remove"); the library only knows some casings → lower-case.
 * - Entra ID (before the aadOptscim062020 flag) sends booleans as the strings "True"/"False" → booleans,
 *   for boolean attributes only (`active`, `primary`).
 * - Attribute names are case-insensitive (RFC 7643 §2.1): "Active", "UserName" → canonical names.
 * - No-path values: Okta sends `{"op":"replace","value":{"active":false}}`; with aadOptscim062020 Entra ID
 *   sends `{"op":"replace","value":{"name.givenName":"Ann","emails[type eq \"work\"].value":"…"}}`, whose
 *   keys are paths. Keys that are paths become operations of their own (the library would create a key
 *   literally named `emails[type eq "work"]`); plain keys stay one no-path operation.
 * - Read-only keys (`id`, `meta`, `groups`) echoed in no-path values are dropped: Okta renames a group
 *   with `{"op":"replace","value":{"id":"…","displayName":"…"}}`, and the id is not a change.
 * - Entra ID sends the enterprise `manager` as a bare id string → `{value: id}` (RFC 7643 §4.3).
 * - Group membership (`members` add/remove/replace, Entra's `Remove` + `path: "members"` + value list,
 *   Okta's `members[value eq "…"]`) is split off as set operations on the member table: a group may have
 *   tens of thousands of members, and the library's removal compares whole objects (`{value}` against
 *   `{value, display}`) one by one.
 */

export type Op = 'add' | 'remove' | 'replace';
export interface PatchOp {
  op: Op;
  path?: string;
  value?: unknown;
}
export interface MemberOp {
  op: Op;
  /** User ids named by the value list, or by the path filter `members[value eq "…"]`. */
  ids: string[];
  /** `remove` with path `members` and no value: every member. */
  all: boolean;
}

export const MAX_OPERATIONS = 20_000;

const CORE_PREFIX = /^urn:ietf:params:scim:schemas:core:2\.0:(?:User|Group):/i;
const SEGMENT = /^([A-Za-z$][\w$-]*)(\[(.+)\])?$/;

const truthy = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  const l = v.trim().toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : v;
};

/** "True"/"False" → booleans, for boolean attributes, at any depth of a value. */
function fixBooleans(value: unknown, attr: string | undefined): unknown {
  if (attr !== undefined && BOOLEAN_ATTRS.has(attr.toLowerCase())) return truthy(value);
  if (Array.isArray(value)) return value.map((v) => fixBooleans(v, undefined));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[canonicalName(k)] = fixBooleans(v, k);
    return out;
  }
  return value;
}

const canonicalName = (name: string): string => CANONICAL.get(name.toLowerCase()) ?? name;

/**
 * A path in canonical form: the core schema URN dropped, attribute names canonical, the value filter
 * checked with the filter library. Returns the form and the attribute names it walks.
 * @throws ScimError 400 `invalidPath`.
 */
export function canonicalPath(
  raw: string,
  known: (top: string) => boolean,
): { path: string; top: string; last: string } {
  let rest = raw.trim().replace(CORE_PREFIX, '');
  let urn = '';
  if (/^urn:/i.test(rest)) {
    // `urn:…:enterprise:2.0:User:manager` → the extension URN and `manager`.
    const i = rest.lastIndexOf(':');
    urn = rest.slice(0, i);
    rest = rest.slice(i + 1);
    if (urn.toLowerCase() === ENTERPRISE_URN.toLowerCase()) urn = ENTERPRISE_URN;
  }
  // Split on dots outside brackets.
  const segments: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of rest) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      segments.push(cur);
      cur = '';
    } else cur += ch;
  }
  segments.push(cur);
  if (depth !== 0 || segments.length === 0 || segments.length > 3)
    throw badRequest(`"${raw.slice(0, 200)}" is not a valid attribute path`, 'invalidPath');
  const out = segments.map((seg) => {
    const m = SEGMENT.exec(seg);
    if (!m) throw badRequest(`"${raw.slice(0, 200)}" is not a valid attribute path`, 'invalidPath');
    const name = canonicalName(m[1]!);
    if (m[3] !== undefined) {
      try {
        parse(m[3]);
      } catch (error) {
        throw badRequest(
          `the filter in "${raw.slice(0, 200)}" is not valid: ${(error as Error).message}`,
          'invalidPath',
        );
      }
    }
    return m[2] ? `${name}[${m[3]}]` : name;
  });
  const top = SEGMENT.exec(out[0]!)![1]!;
  if (!urn && !known(top)) throw badRequest(`"${top}" is not an attribute of this resource`, 'invalidPath');
  const last = SEGMENT.exec(out[out.length - 1]!)![1]!;
  return { path: urn ? `${urn}:${out.join('.')}` : out.join('.'), top: urn ? urn : top, last };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The ids of a member value list (`[{value: "…"}, …]`, or one such object). */
function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((m) => {
    const v = isObject(m) ? m.value : m;
    if (typeof v !== 'string' || v.length === 0 || v.length > 256)
      throw badRequest('each member needs a "value" that is a user id', 'invalidValue');
    return v;
  });
}

/** The user id of a `members[value eq "…"]` path, or null for another filter. */
function memberFilterId(filterText: string): string | null {
  try {
    const f = parse(filterText);
    return f.op === 'eq' && f.attrPath.toLowerCase() === 'value' && typeof f.compValue === 'string'
      ? f.compValue
      : null;
  } catch {
    return null;
  }
}

/**
 * Turns a PATCH body of either dialect into RFC-form operations for the library, plus (for groups)
 * membership set operations.
 * @throws ScimError 400 `invalidSyntax` | `invalidPath` | `invalidValue` | `noTarget` | `mutability`.
 */
export function normalizePatch(
  body: unknown,
  resource: 'User' | 'Group',
  knownTop: (top: string) => boolean,
): { ops: PatchOp[]; members: MemberOp[] } {
  if (!isObject(body)) throw badRequest('a PATCH body is a PatchOp object', 'invalidSyntax');
  const schemas = body.schemas;
  if (
    schemas !== undefined &&
    (!Array.isArray(schemas) ||
      !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_URN.toLowerCase()))
  )
    throw badRequest(`"schemas" must contain ${PATCH_URN}`, 'invalidSyntax');
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0)
    throw badRequest('"Operations" must be a non-empty array', 'invalidSyntax');
  if (operations.length > MAX_OPERATIONS)
    throw new ScimError(413, `at most ${MAX_OPERATIONS} operations in one PATCH`, 'tooMany');

  const ops: PatchOp[] = [];
  const members: MemberOp[] = [];
  for (const [i, raw] of operations.entries()) {
    if (!isObject(raw)) throw badRequest(`Operations[${i}] is not an object`, 'invalidSyntax');
    const op = typeof raw.op === 'string' ? raw.op.trim().toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace')
      throw badRequest(`Operations[${i}].op must be add, remove or replace`, 'invalidSyntax');
    if (raw.path !== undefined && raw.path !== null && typeof raw.path !== 'string')
      throw badRequest(`Operations[${i}].path must be a string`, 'invalidPath');
    const rawPath = typeof raw.path === 'string' && raw.path.trim() !== '' ? raw.path : undefined;
    if (op !== 'remove' && !('value' in raw))
      throw badRequest(`Operations[${i}] (${op}) needs a "value"`, 'invalidSyntax');

    if (rawPath === undefined) {
      if (op === 'remove') throw badRequest(`Operations[${i}]: remove needs a "path"`, 'noTarget');
      if (!isObject(raw.value))
        throw badRequest(`Operations[${i}]: an ${op} without a path takes an object of attributes`, 'invalidValue');
      const plain: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(raw.value)) {
        if (READ_ONLY_KEYS.has(key.toLowerCase()) || key.toLowerCase() === 'schemas') continue;
        if (resource === 'Group' && key.toLowerCase() === 'members') {
          members.push({ op, ids: memberIds(v), all: false });
          continue;
        }
        if (key.toLowerCase() === ENTERPRISE_URN.toLowerCase() && isObject(v)) {
          for (const [sub, sv] of Object.entries(v))
            ops.push(pathOp(op, `${ENTERPRISE_URN}:${sub}`, sv, resource, knownTop));
          continue;
        }
        if (/[.[:]/.test(key)) {
          ops.push(pathOp(op, key, v, resource, knownTop));
          continue;
        }
        plain[canonicalName(key)] = fixBooleans(v, key);
      }
      if (Object.keys(plain).length > 0) ops.push({ op, value: plain });
      continue;
    }

    const { path, top } = canonicalPath(rawPath, knownTop);
    if (resource === 'Group' && top === 'members') {
      const bracket = /^members\[(.+)\]$/.exec(path);
      if (path === 'members') {
        members.push(
          op === 'remove' && raw.value === undefined
            ? { op, ids: [], all: true }
            : { op, ids: memberIds(raw.value), all: false },
        );
        continue;
      }
      const id = bracket ? memberFilterId(bracket[1]!) : null;
      if (id !== null && op === 'remove') {
        members.push({ op, ids: [id], all: false });
        continue;
      }
      throw badRequest(
        `"${rawPath.slice(0, 200)}": members are changed through "members" or "members[value eq \\"<id>\\"]"`,
        'invalidPath',
      );
    }
    ops.push(pathOp(op, rawPath, raw.value, resource, knownTop));
  }
  return { ops, members };
}

function pathOp(
  op: Op,
  rawPath: string,
  value: unknown,
  resource: 'User' | 'Group',
  knownTop: (top: string) => boolean,
): PatchOp {
  const { path, top, last } = canonicalPath(rawPath, knownTop);
  if (READ_ONLY_KEYS.has(top.toLowerCase()) || (resource === 'Group' && top === 'members')) {
    if (top === 'id' || top === 'meta' || top === 'groups')
      throw new ScimError(400, `"${top}" is read-only`, 'mutability');
  }
  let v = fixBooleans(value, last);
  if (last === 'manager' && typeof v === 'string') v = { value: v };
  // A manager cleared (Entra ID: an empty id; Okta: null or an empty value) and an enterprise attribute set to
  // null are removals: RFC 7644 §3.5.2 reads a null value as "unassigned".
  const cleared =
    v === null || (last === 'manager' && isObject(v) && (v.value === '' || v.value === null || v.value === undefined));
  if (op !== 'remove' && cleared && path.startsWith(ENTERPRISE_URN)) return { op: 'remove', path };
  return op === 'remove' ? (v === undefined ? { op, path } : { op, path, value: v }) : { op, path, value: v };
}

/**
 * Applies normalized operations to a resource (without id and meta) with the library.
 * @throws ScimError 400 with the library's scimType (`noTarget`, `invalidSyntax`, …) as `invalidPath`
 *   when the library names none.
 */
export function applyPatch(
  resource: Record<string, unknown>,
  ops: PatchOp[],
  kind: 'User' | 'Group',
): Record<string, unknown> {
  if (ops.length === 0) return resource;
  const doc = {
    ...resource,
    schemas: (resource.schemas as string[] | undefined) ?? [kind === 'User' ? USER_URN : GROUP_URN],
    meta: { resourceType: kind },
  };
  try {
    const out = scimPatch(doc as unknown as ScimResource, ops as ScimPatchOperation[], {
      mutateDocument: false,
      treatMissingAsAdd: true,
    }) as unknown as Record<string, unknown>;
    const { meta: _meta, ...rest } = out;
    return rest;
  } catch (error) {
    if (error instanceof LibraryPatchError)
      throw badRequest(error.message, (error.scimCode as 'invalidSyntax' | undefined) ?? 'invalidPath');
    // The library throws plain errors for shapes it does not expect (a filter on a non-array, …).
    throw badRequest(`the PATCH cannot be applied: ${(error as Error).message}`, 'invalidPath');
  }
}
