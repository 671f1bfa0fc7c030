import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineContext } from '../../engine/context';
import { DeskError } from '@shared/errors';
import { authenticateScim } from '../../engine/scim/auth';
import { ScimError, badRequest } from '../../engine/scim/errors';
import { idpFromUserAgent } from '../../engine/scim/idp';
import {
  createUser,
  deleteUser,
  getUserResource,
  listUsers,
  patchUser,
  replaceUser,
  type ListQuery,
  type ScimCaller,
} from '../../engine/scim/users';
import {
  createGroup,
  deleteGroup,
  getGroupResource,
  groupResource,
  listGroups,
  patchGroup,
  replaceGroup,
} from '../../engine/scim/groups';
import { project } from '../../engine/scim/resource';
import { LIST_URN, MAX_RESULTS, resourceTypes, schemasResource, serviceProviderConfig } from '../../engine/scim/schema';
import { baseHeaders, readBody } from '../http';
import type { Route } from '../router';

/** A SCIM body may be large (a group with thousands of members), not unbounded. */
export const SCIM_BODY_LIMIT = 1024 * 1024;
// No capture group: the router would percent-decode it and drop the route on a malformed escape.
const SCIM_PATH = /^\/scim\/v2(?:\/.*)?$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  baseHeaders(res);
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/scim+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readScimJson(req: IncomingMessage): Promise<unknown> {
  let buf: Buffer;
  try {
    buf = await readBody(req, SCIM_BODY_LIMIT);
  } catch (error) {
    if (error instanceof DeskError && error.code === 'body_too_large')
      throw new ScimError(413, `the request body is over ${SCIM_BODY_LIMIT / 1024 / 1024} MiB`);
    throw error;
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty; send a SCIM JSON object', 'invalidSyntax');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('the request body is not valid JSON', 'invalidSyntax');
  }
}

const intParam = (url: URL, name: string, fallback: number): number => {
  const raw = url.searchParams.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  if (!/^-?\d{1,9}$/.test(raw.trim())) throw badRequest(`"${name}" must be an integer`, 'invalidValue');
  return Number(raw);
};

const listParam = (url: URL, name: string): string[] | null => {
  const raw = url.searchParams.get(name);
  return raw
    ? raw
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean)
    : null;
};

/** RFC 7644 §3.4.2.4: startIndex under 1 reads as 1; a negative count as 0; count is capped at maxResults. */
function listQuery(url: URL): ListQuery {
  const startIndex = Math.max(1, intParam(url, 'startIndex', 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, intParam(url, 'count', 100)));
  const filter = url.searchParams.get('filter');
  return {
    filter: filter && filter.trim() !== '' ? filter : null,
    startIndex,
    count,
    attributes: listParam(url, 'attributes'),
    excluded: listParam(url, 'excludedAttributes'),
  };
}

const listResponse = (q: ListQuery, r: { total: number; rows: Array<Record<string, unknown>> }) => ({
  schemas: [LIST_URN],
  totalResults: r.total,
  itemsPerPage: r.rows.length,
  startIndex: q.startIndex,
  Resources: r.rows,
});

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Routes one authenticated SCIM request to its resource. */
async function route(c: ScimCaller, method: string, sub: string, req: IncomingMessage, url: URL): Promise<Answer> {
  const parts = sub.split('/').filter(Boolean);
  const [kind, idRaw, extra] = parts;
  let id: string | undefined;
  try {
    id = idRaw === undefined ? undefined : decodeURIComponent(idRaw);
  } catch {
    throw new ScimError(404, 'no such resource');
  }
  if (extra !== undefined) throw new ScimError(404, `no such endpoint: ${sub.slice(0, 200)}`);
  const notAllowed = () => new ScimError(405, `${method} is not supported on ${sub || '/'}`);
  const attributes = listParam(url, 'attributes');
  const excluded = listParam(url, 'excludedAttributes');

  const r: Request = { c, method, sub, req, url, id, attributes, excluded, notAllowed };
  switch (kind) {
    case 'ServiceProviderConfig':
    case 'Schemas':
    case 'ResourceTypes':
      return routeDiscovery(r, kind);
    case 'Users':
      return routeUsers(r);
    case 'Groups':
      return routeGroups(r);
    default:
      throw new ScimError(404, `no such endpoint: /scim/v2${sub.slice(0, 200)}`);
  }
}

/** One SCIM request, parsed as far as every resource needs it. */
interface Request {
  c: ScimCaller;
  method: string;
  sub: string;
  req: IncomingMessage;
  url: URL;
  id: string | undefined;
  attributes: string[] | null;
  excluded: string[] | null;
  notAllowed: () => ScimError;
}

/** `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`: what the IdP reads before it provisions. */
function routeDiscovery(
  { c, method, id, notAllowed }: Request,
  kind: 'ServiceProviderConfig' | 'Schemas' | 'ResourceTypes',
): Answer {
  if (kind === 'ServiceProviderConfig') {
    if (method !== 'GET' || id) throw notAllowed();
    return { status: 200, body: serviceProviderConfig(c.base) };
  }
  if (method !== 'GET') throw notAllowed();
  const all = kind === 'Schemas' ? schemasResource(c.base) : resourceTypes(c.base);
  if (id) {
    const one = all.find((r) => r.id === id);
    if (!one) throw new ScimError(404, `no ${kind === 'Schemas' ? 'schema' : 'resource type'} "${id.slice(0, 200)}"`);
    return { status: 200, body: one };
  }
  return {
    status: 200,
    body: {
      schemas: [LIST_URN],
      totalResults: all.length,
      itemsPerPage: all.length,
      startIndex: 1,
      Resources: all,
    },
  };
}

/** `/Users` and `/Users/{id}`. */
async function routeUsers({ c, method, req, url, id, attributes, excluded, notAllowed }: Request): Promise<Answer> {
  if (!id) {
    if (method === 'GET') {
      const q = listQuery(url);
      const r = listUsers(c, q);
      return {
        status: 200,
        body: listResponse(q, { total: r.total, rows: r.rows.map((x) => project(x, q.attributes, q.excluded)) }),
      };
    }
    if (method === 'POST') {
      const created = await createUser(c, await readScimJson(req));
      return {
        status: 201,
        body: created,
        headers: { Location: String((created.meta as { location: string }).location) },
      };
    }
    throw notAllowed();
  }
  if (method === 'GET') return { status: 200, body: project(getUserResource(c, id), attributes, excluded) };
  if (method === 'PUT') return { status: 200, body: await replaceUser(c, id, await readScimJson(req)) };
  if (method === 'PATCH')
    return { status: 200, body: project(await patchUser(c, id, await readScimJson(req)), attributes, excluded) };
  if (method === 'DELETE') {
    deleteUser(c, id);
    return { status: 204 };
  }
  throw notAllowed();
}

/** `/Groups` and `/Groups/{id}`. */
async function routeGroups({ c, method, req, url, id, attributes, excluded, notAllowed }: Request): Promise<Answer> {
  if (!id) {
    if (method === 'GET') {
      const q = listQuery(url);
      return { status: 200, body: listResponse(q, listGroups(c, q)) };
    }
    if (method === 'POST') {
      const created = createGroup(c, await readScimJson(req));
      return {
        status: 201,
        body: created,
        headers: { Location: String((created.meta as { location: string }).location) },
      };
    }
    throw notAllowed();
  }
  const withMembers = !(excluded ?? []).some((a) => a.toLowerCase() === 'members');
  if (method === 'GET')
    return { status: 200, body: project(getGroupResource(c, id, withMembers), attributes, excluded) };
  if (method === 'PUT') return { status: 200, body: replaceGroup(c, id, await readScimJson(req)) };
  if (method === 'PATCH') {
    const row = patchGroup(c, id, await readScimJson(req));
    // 204 as Entra ID and Okta document for a group PATCH; with `attributes` asked for, the group.
    return attributes
      ? { status: 200, body: project(groupResource(c, row, true), attributes, excluded) }
      : { status: 204 };
  }
  if (method === 'DELETE') {
    deleteGroup(c, id);
    return { status: 204 };
  }
  throw notAllowed();
}

/**
 * The SCIM 2.0 endpoint (RFC 7644) at `<api>/scim/v2`: the bearer token decides the account, the
 * User-Agent names the IdP. Every request, refused ones included, is one audit event (kind
 * `scim.request`, method `scim`): method, path, status, what changed, duration and the IdP; the token
 * never appears in it. Answers are `application/scim+json`; refusals use SCIM's error shape.
 */
export function scimRoutes(ctx: EngineContext): Route[] {
  const handle = async ({ req, res, url }: { req: IncomingMessage; res: ServerResponse; url: URL }): Promise<void> => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const sub = url.pathname.slice('/scim/v2'.length);
    const idp = idpFromUserAgent(req.headers['user-agent']);
    const base = `${ctx.urls.api ?? `http://${req.headers.host ?? '127.0.0.1'}`}/scim/v2`;
    let accountId: string | null = null;
    const changes: string[] = [];
    let answer: Answer;
    try {
      const who = authenticateScim(ctx, req.headers.authorization);
      accountId = who.accountId;
      answer = await route({ ctx, accountId, idp, base, changes }, method, sub, req, url);
    } catch (error) {
      let e: ScimError;
      if (error instanceof ScimError) e = error;
      else if (error instanceof DeskError) e = new ScimError(error.status, error.message);
      else if (/UNIQUE constraint failed/.test(String((error as Error)?.message)))
        e = new ScimError(409, 'the resource conflicts with one that exists', 'uniqueness');
      else {
        ctx.log(`[scim ${method} ${url.pathname}] ${(error as Error)?.stack ?? String(error)}`);
        e = new ScimError(500, 'the server failed unexpectedly; details are in the log');
      }
      changes.length = 0;
      answer = {
        status: e.status,
        body: e.toJSON(),
        headers: e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="scim"' } : {},
      };
    }
    if (method === 'HEAD') answer = { ...answer, body: undefined };
    send(res, answer.status, answer.body, answer.headers);
    const durationMs = Math.round(performance.now() - started);
    const path = `/scim/v2${sub}`;
    const body = answer.body as { detail?: string } | undefined;
    const summary = answer.status >= 400 ? (body?.detail ?? '') : changes.join('; ');
    ctx.audit({
      kind: 'scim.request',
      accountId,
      actor: idp,
      method: 'scim',
      outcome: answer.status >= 500 ? 'failed' : answer.status >= 400 ? 'refused' : 'ok',
      reason: `${method} ${path} → ${answer.status}${summary ? `: ${summary.slice(0, 500)}` : ''}`,
      durationMs,
      detail: {
        method,
        path,
        query: url.search.slice(0, 500),
        status: answer.status,
        changes,
        idp,
        userAgent: String(req.headers['user-agent'] ?? '').slice(0, 200),
      },
    });
  };
  return (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).map((m) => ({ method: m, path: SCIM_PATH, handle }));
}
