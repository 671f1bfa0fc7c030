import { badRequest } from './errors';
import { CANONICAL, ENTERPRISE_URN, READ_ONLY_KEYS, USER_URN } from './schema';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/;

/** What SSO Desk takes from a SCIM User: the rest of the resource is kept as the IdP sent it. */
export interface UserFields {
  userName: string;
  email: string;
  name: string;
  externalId: string | null;
  active: boolean | undefined;
  /** A password sent by the IdP (Okta sends one on create): hashed or dropped, never stored in the resource. */
  password: string | undefined;
  /** The resource to store: without id, meta, groups, active and password. */
  resource: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * Reads a User resource (POST, PUT, or the result of a PATCH): `userName` is required; the SSO Desk
 * email is the primary email, else the `type: "work"` one, else the first, else `userName` when it is
 * an email. Attribute names are matched case-insensitively; unknown attributes are kept (RFC 7643 §3).
 * @throws ScimError 400 `invalidValue` for a missing userName, no usable email, or wrong types.
 */
export function readUser(body: unknown): UserFields {
  if (!isObject(body)) throw badRequest('a User is a JSON object', 'invalidSyntax');
  const resource: Record<string, unknown> = {};
  let active: boolean | undefined;
  let password: string | undefined;
  for (const [k, v] of Object.entries(body)) {
    const key = CANONICAL.get(k.toLowerCase()) ?? k;
    if (READ_ONLY_KEYS.has(key)) continue;
    if (key === 'active') {
      const b =
        typeof v === 'string' ? (v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : v) : v;
      if (typeof b !== 'boolean') throw badRequest('"active" must be a boolean');
      active = b;
      continue;
    }
    if (key === 'password') {
      if (v !== null && typeof v !== 'string') throw badRequest('"password" must be a string');
      if (typeof v === 'string' && v.length > 0) password = v.slice(0, 1024);
      continue;
    }
    resource[key] = v;
  }
  const userName = str(resource.userName);
  if (!userName) throw badRequest('"userName" is required and must be a non-empty string');
  if (userName.length > 256) throw badRequest('"userName" is over 256 characters');
  resource.userName = userName;
  if (resource.externalId !== undefined && resource.externalId !== null && typeof resource.externalId !== 'string')
    throw badRequest('"externalId" must be a string');
  if (resource.emails !== undefined && !Array.isArray(resource.emails)) throw badRequest('"emails" must be an array');
  const emails = ((resource.emails as unknown[] | undefined) ?? []).filter(isObject);
  const pick =
    emails.find((e) => e.primary === true || e.primary === 'True' || e.primary === 'true') ??
    emails.find((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'work') ??
    emails[0];
  const candidate = str(pick?.value) ?? userName;
  if (!EMAIL.test(candidate)) {
    throw badRequest(
      `${pick ? `the email "${candidate.slice(0, 100)}"` : `userName "${userName.slice(0, 100)}" (there is no email)`} ` +
        `is not an email address; SSO Desk needs one`,
    );
  }
  const nameObj = isObject(resource.name) ? resource.name : {};
  const display =
    str(resource.displayName) ??
    str(nameObj.formatted) ??
    ([str(nameObj.givenName), str(nameObj.familyName)].filter(Boolean).join(' ') || undefined) ??
    userName;
  const ext = resource[ENTERPRISE_URN];
  if (ext !== undefined && !isObject(ext)) throw badRequest('the enterprise extension must be an object');
  const schemas = new Set([
    USER_URN,
    ...(Array.isArray(resource.schemas) ? resource.schemas.filter((s): s is string => typeof s === 'string') : []),
  ]);
  if (ext) schemas.add(ENTERPRISE_URN);
  resource.schemas = [...schemas];
  return {
    userName,
    email: candidate.toLowerCase(),
    name: display.slice(0, 200),
    externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
    active,
    password,
    resource,
  };
}

/** Keeps `attributes` or drops `excludedAttributes` (RFC 7644 §3.9); id and schemas are always returned. */
export function project(
  resource: Record<string, unknown>,
  attributes: string[] | null,
  excluded: string[] | null,
): Record<string, unknown> {
  const norm = (a: string) =>
    a
      .trim()
      .replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '')
      .toLowerCase();
  if (attributes && attributes.length > 0) {
    const want = attributes.map(norm);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(resource)) {
      const lk = k.toLowerCase();
      if (lk === 'id' || lk === 'schemas') out[k] = v;
      else if (want.includes(lk)) out[k] = v;
      else {
        const subs = want
          .filter((w) => w.startsWith(`${lk}.`) || w.startsWith(`${lk}:`))
          .map((w) => w.slice(lk.length + 1));
        if (subs.length > 0 && isObject(v))
          out[k] = Object.fromEntries(Object.entries(v).filter(([sk]) => subs.includes(sk.toLowerCase())));
      }
    }
    return out;
  }
  if (excluded && excluded.length > 0) {
    const drop = excluded.map(norm);
    return Object.fromEntries(
      Object.entries(resource).filter(([k]) => k === 'id' || k === 'schemas' || !drop.includes(k.toLowerCase())),
    );
  }
  return resource;
}
