import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context';
import { DeskError } from '@shared/errors';
import type { SelfCheckResult, SelfCheckStep } from '@shared/contract/provisioning';
import { getScimConfig } from '../../store/scim';
import { getAccount } from '../../store/accounts';
import { provisioningGate } from './console';
import { randomToken } from '../crypto/hash';
import { issueSelfCheckToken } from './auth';
import { SELF_CHECK_UA } from './idp';
import { GROUP_URN, PATCH_URN, USER_URN } from './schema';

type Json = Record<string, unknown> & { Resources?: Array<Record<string, unknown>> };

/**
 * "Test provisioning": replays what Entra ID's "Test connection" and Okta's SCIM test sequence send,
 * over HTTP against this account's own `<api>/scim/v2`, with a temporary user and group, and removes
 * both whatever happens. It authenticates with a one-minute token held in memory (see auth.ts), so the
 * account's real token is neither needed nor changed; it passes the same gates (switch, plan, package).
 * Every request is in the provisioning log, from "SSO Desk self-check".
 * @throws DeskError `not_listening` when the Platform API is not up; `plan_required`; `provisioning_off` when switched off.
 */
export async function selfCheck(ctx: EngineContext, accountId: string): Promise<SelfCheckResult> {
  const base = checkGates(ctx, accountId);
  const token = randomToken(32);
  const forget = issueSelfCheckToken(ctx.store.db, accountId, token, ctx.clock.now());
  const steps: SelfCheckStep[] = [];
  const call = caller(base, token, steps);
  const tag = randomUUID().slice(0, 8);
  const made: Made = { userId: null, groupId: null };
  try {
    await replayEntraConnectionTest(call);
    await replayOktaUserTests(call, `sso-desk-self-check-${tag}@self-check.sso-desk.test`, made);
    if (made.userId) {
      await replayGroupTests(call, tag, made.userId, made);
      await call('Okta', 'Read an id that does not exist: 404', 'GET', `/Users/${randomUUID()}`, null, is(404));
    }
  } finally {
    if (made.groupId)
      await call('cleanup', 'Delete the temporary group', 'DELETE', `/Groups/${made.groupId}`, null, is(204));
    if (made.userId)
      await call('cleanup', 'Delete the temporary user', 'DELETE', `/Users/${made.userId}`, null, is(204));
    forget();
  }
  return { ok: steps.every((s) => s.ok), steps };
}

/** The same gates the IdP meets (Platform API up, plan, package, switch); returns the SCIM base URL. */
function checkGates(ctx: EngineContext, accountId: string): string {
  if (!ctx.urls.api)
    throw new DeskError('not_listening', 'the Platform API is not listening, so there is no endpoint to test', {
      status: 409,
    });
  const account = getAccount(ctx.store.db, accountId);
  if (!account) throw new DeskError('not_found', `no account "${accountId}"`, { status: 404 });
  const gate = provisioningGate(account);
  if (!gate.allowed) throw new DeskError('plan_required', gate.reason, { status: 403 });
  if (!getScimConfig(ctx.store.db, accountId)?.enabled)
    throw new DeskError('provisioning_off', 'switch provisioning on first: the IdP would be refused too', {
      status: 409,
    });
  return `${ctx.urls.api}/scim/v2`;
}

/** The temporary resources, removed at the end whatever happened. */
interface Made {
  userId: string | null;
  groupId: string | null;
}

type Expect = (status: number, json: Json) => string | null;
type Call = (
  vendor: SelfCheckStep['vendor'],
  name: string,
  method: string,
  path: string,
  body: unknown,
  expect: Expect,
) => Promise<Json>;

/** One request as the IdP sends it, recorded as a step with what was expected and what came. */
function caller(base: string, token: string, steps: SelfCheckStep[]): Call {
  return async (vendor, name, method, path, body, expect) => {
    let status: number | null = null;
    let json: Json = {};
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          'User-Agent': `${SELF_CHECK_UA} (replaying ${vendor})`,
          Accept: 'application/scim+json',
          ...(body ? { 'Content-Type': 'application/scim+json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      const text = await res.text();
      json = text ? (JSON.parse(text) as Json) : {};
      const problem = expect(status, json);
      steps.push({
        vendor,
        name,
        request: `${method} /scim/v2${path}`,
        status,
        ok: problem === null,
        detail: problem ?? 'as the IdP expects',
      });
    } catch (error) {
      steps.push({
        vendor,
        name,
        request: `${method} /scim/v2${path}`,
        status,
        ok: false,
        detail: (error as Error).message,
      });
    }
    return json;
  };
}

const is =
  (want: number): Expect =>
  (status, json) =>
    status === want
      ? null
      : `expected ${want}, got ${status}${typeof json.detail === 'string' ? `: ${json.detail}` : ''}`;
const total =
  (n: number): Expect =>
  (status, json) =>
    status !== 200
      ? `expected 200, got ${status}`
      : json.totalResults === n
        ? null
        : `expected totalResults ${n}, got ${String(json.totalResults)}`;
const eq = (v: string) => encodeURIComponent(`userName eq "${v}"`);

/** Microsoft Entra ID's "Test connection": looks up a user and a group that cannot exist, expects empty lists. */
async function replayEntraConnectionTest(call: Call): Promise<void> {
  await call(
    'Microsoft Entra ID',
    'Test connection: filter on a random userName',
    'GET',
    `/Users?filter=${eq(randomUUID())}`,
    null,
    total(0),
  );
  await call(
    'Microsoft Entra ID',
    'Test connection: filter groups on a random displayName',
    'GET',
    `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${randomUUID()}"`)}`,
    null,
    total(0),
  );
}

/** Okta's SCIM 2.0 test spec for users: configuration, paging, create, read, case-insensitive filter, 409, (de)activate. */
async function replayOktaUserTests(call: Call, userName: string, made: Made): Promise<void> {
  await call('Okta', 'Service provider configuration', 'GET', '/ServiceProviderConfig', null, is(200));
  await call('Okta', 'List users with paging', 'GET', '/Users?count=1&startIndex=1', null, (s, j) =>
    s !== 200
      ? `expected 200, got ${s}`
      : [j.totalResults, j.itemsPerPage, j.startIndex].every(Number.isInteger)
        ? null
        : 'totalResults, itemsPerPage and startIndex must be integers',
  );
  await call(
    'Okta',
    'Filter on the temporary userName: not found yet',
    'GET',
    `/Users?filter=${eq(userName)}&startIndex=1&count=100`,
    null,
    total(0),
  );
  const created = await call(
    'Okta',
    'Create the temporary user',
    'POST',
    '/Users',
    {
      schemas: [USER_URN],
      userName,
      name: { givenName: 'Self', familyName: 'Check' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: 'Self Check',
      active: true,
    },
    is(201),
  );
  made.userId = typeof created.id === 'string' ? created.id : null;
  const userId = made.userId;
  if (!userId) return;
  await call('Okta', 'Read the user by id', 'GET', `/Users/${userId}`, null, (s, j) =>
    s === 200 && j.userName === userName ? null : `expected 200 with userName ${userName}, got ${s}`,
  );
  await call(
    'Okta',
    'Filter on the userName in capitals (case-insensitive)',
    'GET',
    `/Users?filter=${eq(userName.toUpperCase())}`,
    null,
    total(1),
  );
  await call(
    'Okta',
    'Create the same user again: 409',
    'POST',
    '/Users',
    { schemas: [USER_URN], userName, active: true },
    (s, j) => (s === 409 && j.scimType === 'uniqueness' ? null : `expected 409 uniqueness, got ${s}`),
  );
  await call(
    'Okta',
    'Deactivate: replace with no path, {"active": false}',
    'PATCH',
    `/Users/${userId}`,
    { schemas: [PATCH_URN], Operations: [{ op: 'replace', value: { active: false } }] },
    (s, j) => (s === 200 && j.active === false ? null : `expected 200 with active false, got ${s}`),
  );
  await call(
    'Microsoft Entra ID',
    'Reactivate: Replace active "True"',
    'PATCH',
    `/Users/${userId}`,
    { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] },
    (s, j) => (s === 200 && j.active === true ? null : `expected 200 with active true, got ${s}`),
  );
}

/** Entra ID's and Okta's group requests: create, add a member, rename, remove the member, read without members. */
async function replayGroupTests(call: Call, tag: string, userId: string, made: Made): Promise<void> {
  const groupName = `SSO Desk self-check ${tag}`;
  const group = await call(
    'Microsoft Entra ID',
    'Create the temporary group',
    'POST',
    '/Groups',
    {
      schemas: [GROUP_URN, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],
      displayName: groupName,
      externalId: tag,
      meta: { resourceType: 'Group' },
    },
    is(201),
  );
  made.groupId = typeof group.id === 'string' ? group.id : null;
  const groupId = made.groupId;
  if (!groupId) return;
  await call(
    'Microsoft Entra ID',
    'Add the user to the group',
    'PATCH',
    `/Groups/${groupId}`,
    {
      schemas: [PATCH_URN],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: userId }] }],
    },
    is(204),
  );
  await call(
    'Okta',
    'Rename the group (with its id in the value)',
    'PATCH',
    `/Groups/${groupId}`,
    {
      schemas: [PATCH_URN],
      Operations: [{ op: 'replace', value: { id: groupId, displayName: `${groupName} renamed` } }],
    },
    is(204),
  );
  await call(
    'Microsoft Entra ID',
    'Remove the member (Remove + path members + value list)',
    'PATCH',
    `/Groups/${groupId}`,
    { schemas: [PATCH_URN], Operations: [{ op: 'Remove', path: 'members', value: [{ value: userId }] }] },
    is(204),
  );
  await call(
    'Microsoft Entra ID',
    'Read the group without members',
    'GET',
    `/Groups/${groupId}?excludedAttributes=members`,
    null,
    (s, j) => (s === 200 && j.members === undefined ? null : `expected 200 without members, got ${s}`),
  );
}
