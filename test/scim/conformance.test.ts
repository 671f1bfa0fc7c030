import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  ERROR,
  GROUP,
  OKTA_UA,
  PATCH_OP,
  USER,
  UMBRELLA_TOKEN,
  scimWorld,
  type ScimWorld,
} from './harness';
import { getMembership } from '../../src/main/store/accounts';
import { findUserByEmail } from '../../src/main/store/users';
import { teamLevel } from '../../src/main/store/bots';

/*
 * The request and response examples of Microsoft's "Tutorial: Develop and plan provisioning for a SCIM
 * endpoint in Microsoft Entra ID" (section "User operations" / "Group operations"), its "Known issues and
 * resolutions with SCIM 2.0 protocol compliance" (aadOptscim062020), and Okta's SCIM 2.0 test spec
 * (the Runscope sequence: list, filter, create, get, filter in capitals, duplicate, unknown id) and
 * "Okta and SCIM Version 2.0" reference, replayed against the real endpoint over HTTP.
 */

let w: ScimWorld;
beforeAll(async () => {
  w = await scimWorld();
});
afterAll(async () => w.cleanup());

describe('Microsoft Entra ID: the tutorial request/response examples', () => {
  let userId = '';
  let groupId = '';

  it('Test connection: a filter on a userName that does not exist answers an empty list', async () => {
    const r = await w.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/scim\+json/);
    expect(r.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
  });

  it('Create User → 201 with id, meta and the attributes sent', async () => {
    const r = await w.scim('POST', '/Users', {
      schemas: [USER, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    });
    expect(r.status).toBe(201);
    expect(r.body.id).toEqual(expect.any(String));
    expect(r.body.userName).toBe('Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1');
    expect(r.body.externalId).toBe('0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef');
    expect(r.body.active).toBe(true);
    expect(r.body.name).toEqual({
      formatted: 'givenName familyName',
      familyName: 'familyName',
      givenName: 'givenName',
    });
    expect(r.body.meta).toMatchObject({ resourceType: 'User', location: `${w.base}/Users/${r.body.id}` });
    expect(r.body.schemas).toContain(USER);
    userId = r.body.id;
    // The SSO Desk side: the primary email is the user, a member of acme, provisioned by Entra ID.
    const u = findUserByEmail(w.run.store.db, 'test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com')!;
    expect(getMembership(w.run.store.db, 'acme', u.id)).toMatchObject({
      role: 'member',
      source: 'scim',
      provisionedBy: 'Microsoft Entra ID',
      status: 'active',
    });
  });

  it('Get User, and Get User by query (userName eq) → the same user', async () => {
    const one = await w.scim('GET', `/Users/${userId}`);
    expect(one.status).toBe(200);
    expect(one.body.userName).toBe('Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1');
    const q = await w.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"')}`,
    );
    expect(q.body.totalResults).toBe(1);
    expect(q.body.Resources[0].id).toBe(userId);
  });

  it('Get User by query, zero results → 200 and an empty list', async () => {
    const q = await w.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`);
    expect(q.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  it('Update User [multi-valued properties]: filtered path and name.familyName', async () => {
    const r = await w.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.emails[0].value).toBe('updatedEmail@microsoft.com');
    expect(r.body.name.familyName).toBe('updatedFamilyName');
    expect(findUserByEmail(w.run.store.db, 'updatedemail@microsoft.com')).toBeDefined();
  });

  it('Update User [single-valued properties]: userName', async () => {
    const r = await w.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    });
    expect(r.status).toBe(200);
    expect(r.body.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
  });

  it('Update User: enterprise URN path, manager sent as a bare id', async () => {
    const r = await w.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: '2819c223-7f76-453a-919d-413861904646' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Support' },
        { op: 'Add', path: `${ENTERPRISE}:employeeNumber`, value: '701984' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body[ENTERPRISE]).toEqual({
      manager: { value: '2819c223-7f76-453a-919d-413861904646' },
      department: 'Support',
      employeeNumber: '701984',
    });
    expect(r.body.schemas).toContain(ENTERPRISE);
  });

  it('Disable User with the string "False" (Entra ID before aadOptscim062020), then "True"', async () => {
    const off = await w.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const u = findUserByEmail(w.run.store.db, 'updatedemail@microsoft.com')!;
    expect(getMembership(w.run.store.db, 'acme', u.id)).toMatchObject({
      status: 'deactivated',
      statusBy: 'scim:Microsoft Entra ID',
    });
    const on = await w.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(on.body.active).toBe(true);
    expect(getMembership(w.run.store.db, 'acme', u.id)!.status).toBe('active');
  });

  it('aadOptscim062020: no-path value objects whose keys are paths, booleans as booleans', async () => {
    const r = await w.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'replace',
          value: {
            'name.givenName': 'Barbara',
            'emails[type eq "work"].value': 'babs@testuser.com',
            [`${ENTERPRISE}:department`]: 'Sales',
            displayName: 'Babs Jensen',
            active: false,
          },
        },
        { op: 'add', value: { nickName: 'Babs' } },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      displayName: 'Babs Jensen',
      nickName: 'Babs',
      active: false,
      name: { givenName: 'Barbara' },
    });
    expect(r.body.emails).toEqual([{ primary: true, type: 'work', value: 'babs@testuser.com' }]);
    expect(r.body[ENTERPRISE].department).toBe('Sales');
    const u = findUserByEmail(w.run.store.db, 'babs@testuser.com')!;
    expect(u.name).toBe('Babs Jensen');
    expect(getMembership(w.run.store.db, 'acme', u.id)!.status).toBe('deactivated');
    await w.scim('PATCH', `/Users/${userId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
  });

  it('Create Group → 201 with members empty; extra schema URN tolerated', async () => {
    const r = await w.scim('POST', '/Groups', {
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
      schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      displayName: 'displayName',
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      members: [],
    });
    expect(r.body.schemas).toContain('http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group');
    groupId = r.body.id;
  });

  it('Get Group with excludedAttributes=members, and Get Group by displayName', async () => {
    const one = await w.scim('GET', `/Groups/${groupId}?excludedAttributes=members`);
    expect(one.status).toBe(200);
    expect(one.body.members).toBeUndefined();
    expect(one.body.displayName).toBe('displayName');
    const q = await w.scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`,
    );
    expect(q.body.totalResults).toBe(1);
    expect(q.body.Resources[0].id).toBe(groupId);
    expect(q.body.Resources[0].members).toBeUndefined();
  });

  it('Update Group [Non-member attributes]: rename → 204', async () => {
    const r = await w.scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' },
      ],
    });
    expect(r.status).toBe(204);
    const g = await w.scim('GET', `/Groups/${groupId}`);
    expect(g.body.displayName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
  });

  it('Update Group [Add Members] and [Remove Members] (Remove + path members + value list)', async () => {
    const add = await w.scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: [{ $ref: null, value: userId }] }],
    });
    expect(add.status).toBe(204);
    let g = await w.scim('GET', `/Groups/${groupId}`);
    expect(g.body.members.map((m: { value: string }) => m.value)).toEqual([userId]);
    const u = await w.scim('GET', `/Users/${userId}`);
    expect(u.body.groups.map((x: { value: string }) => x.value)).toEqual([groupId]);
    const remove = await w.scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: userId }] }],
    });
    expect(remove.status).toBe(204);
    g = await w.scim('GET', `/Groups/${groupId}`);
    expect(g.body.members).toEqual([]);
  });

  it('Delete Group and Delete User → 204, then 404 in the error shape', async () => {
    expect((await w.scim('DELETE', `/Groups/${groupId}`)).status).toBe(204);
    expect((await w.scim('DELETE', `/Users/${userId}`)).status).toBe(204);
    const gone = await w.scim('GET', `/Users/${userId}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ schemas: [ERROR], status: '404' });
    expect(findUserByEmail(w.run.store.db, 'babs@testuser.com')).toBeUndefined();
  });
});

describe('Okta: the SCIM 2.0 test spec sequence', () => {
  const userName = `okta.test.${Date.now()}@example.com`;
  let id = '';
  const okta = { ua: OKTA_UA };

  it('Required: GET /Users?count=1&startIndex=1 → a ListResponse with integer paging fields', async () => {
    const r = await w.scim('GET', '/Users?count=1&startIndex=1', undefined, okta);
    expect(r.status).toBe(200);
    expect(Number.isInteger(r.body.totalResults)).toBe(true);
    expect(Number.isInteger(r.body.itemsPerPage)).toBe(true);
    expect(r.body.startIndex).toBe(1);
    expect(Array.isArray(r.body.Resources)).toBe(true);
  });

  it('Required: a random userName is not found (totalResults 0)', async () => {
    const r = await w.scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`,
      undefined,
      okta,
    );
    expect(r.body.totalResults).toBe(0);
  });

  it('Required: POST /Users with a password → 201, active, the password neither returned nor stored in clear', async () => {
    const r = await w.scim(
      'POST',
      '/Users',
      {
        schemas: [USER],
        userName,
        name: { givenName: 'Okta', familyName: 'Test' },
        emails: [{ primary: true, value: userName, type: 'work' }],
        displayName: 'Okta Test',
        locale: 'en-US',
        externalId: '00ujl29u0le5T6Aj10h7',
        groups: [],
        password: '1mz050nq',
        active: true,
      },
      okta,
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ userName, active: true, displayName: 'Okta Test' });
    expect(r.body.password).toBeUndefined();
    id = r.body.id;
    const u = findUserByEmail(w.run.store.db, userName)!;
    expect(u.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(w.run.store.db.prepare('SELECT resource FROM scim_users').all())).not.toContain('1mz050nq');
  }, 90_000);

  it('Required: GET /Users/{id} and the userName filter find the user; in capitals too', async () => {
    expect((await w.scim('GET', `/Users/${id}`, undefined, okta)).body.userName).toBe(userName);
    const q = await w.scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, undefined, okta);
    expect(q.body.totalResults).toBe(1);
    const caps = await w.scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`,
      undefined,
      okta,
    );
    expect(caps.body.totalResults).toBe(1);
    expect(caps.body.Resources[0].id).toBe(id);
  });

  it('Required: creating the same user again → 409 uniqueness, in any case', async () => {
    const r = await w.scim(
      'POST',
      '/Users',
      { schemas: [USER], userName: userName.toUpperCase(), emails: [{ primary: true, value: userName }], active: true },
      okta,
    );
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
  });

  it('Required: a random id → 404 in the error shape', async () => {
    const r = await w.scim('GET', '/Users/010101010101010101', undefined, okta);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: '404' });
  });

  it('Profile update with PUT, then deactivate with replace and no path ({"active": false})', async () => {
    const put = await w.scim(
      'PUT',
      `/Users/${id}`,
      {
        schemas: [USER],
        id,
        userName,
        name: { givenName: 'Okta', familyName: 'Renamed' },
        emails: [{ primary: true, value: userName, type: 'work' }],
        active: true,
      },
      okta,
    );
    expect(put.status).toBe(200);
    expect(put.body.name.familyName).toBe('Renamed');
    const off = await w.scim(
      'PATCH',
      `/Users/${id}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] },
      okta,
    );
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const u = findUserByEmail(w.run.store.db, userName)!;
    expect(getMembership(w.run.store.db, 'acme', u.id)).toMatchObject({
      status: 'deactivated',
      statusBy: 'scim:Okta',
      provisionedBy: 'Okta',
    });
    const filtered = await w.scim('GET', `/Users?filter=${encodeURIComponent('active eq false')}`, undefined, okta);
    expect(filtered.body.Resources.map((x: { id: string }) => x.id)).toContain(id);
  });

  it('Group push: create with members, rename carrying the id (ignored), remove a member by filter path, PUT, delete', async () => {
    const g = await w.scim(
      'POST',
      '/Groups',
      { schemas: [GROUP], displayName: 'Helpdesk operators', members: [{ value: id, display: userName }] },
      okta,
    );
    expect(g.status).toBe(201);
    expect(g.body.members).toHaveLength(1);
    const gid = g.body.id;
    const rename = await w.scim(
      'PATCH',
      `/Groups/${gid}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: gid, displayName: 'Helpdesk ops' } }] },
      okta,
    );
    expect(rename.status).toBe(204);
    expect((await w.scim('GET', `/Groups/${gid}`, undefined, okta)).body).toMatchObject({
      id: gid,
      displayName: 'Helpdesk ops',
    });
    const rm = await w.scim(
      'PATCH',
      `/Groups/${gid}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }] },
      okta,
    );
    expect(rm.status).toBe(204);
    expect((await w.scim('GET', `/Groups/${gid}`, undefined, okta)).body.members).toEqual([]);
    const put = await w.scim(
      'PUT',
      `/Groups/${gid}`,
      { schemas: [GROUP], id: gid, displayName: 'Helpdesk ops', members: [{ value: id }] },
      okta,
    );
    expect(put.status).toBe(200);
    expect(put.body.members).toHaveLength(1);
    const replace = await w.scim(
      'PATCH',
      `/Groups/${gid}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [] }] },
      okta,
    );
    expect(replace.status).toBe(204);
    expect((await w.scim('GET', `/Groups/${gid}`, undefined, okta)).body.members).toEqual([]);
    expect((await w.scim('DELETE', `/Groups/${gid}`, undefined, okta)).status).toBe(204);
    expect((await w.scim('GET', `/Groups/${gid}`, undefined, okta)).status).toBe(404);
  });
});

describe('filters, paging and attributes (RFC 7644 §3.4.2)', () => {
  const ids: string[] = [];
  beforeAll(async () => {
    for (const [i, dept] of ['Sales', 'Support', 'Sales'].entries()) {
      const r = await w.scim('POST', '/Users', {
        schemas: [USER, ENTERPRISE],
        userName: `page${i}@paging.test`,
        title: i === 1 ? 'Lead' : undefined,
        emails: [
          { type: 'work', value: `page${i}@paging.test` },
          { type: 'home', value: `home${i}@home.test` },
        ],
        [ENTERPRISE]: { department: dept, employeeNumber: `E-${i}` },
      });
      ids.push(r.body.id);
    }
  });
  const q = (f: string) => w.scim('GET', `/Users?filter=${encodeURIComponent(f)}`);

  it('eq, sw, co, pr, and, or, value paths', async () => {
    expect((await q('userName sw "page"')).body.totalResults).toBe(3);
    expect((await q('userName co "GE1@PAG"')).body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    expect((await q('title pr')).body.Resources.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    expect((await q(`userName sw "page" and ${ENTERPRISE}:department eq "sales"`)).body.totalResults).toBe(2);
    expect((await q('userName eq "page0@paging.test" or userName eq "page2@paging.test"')).body.totalResults).toBe(2);
    expect(
      (await q('emails[type eq "work" and value eq "page2@paging.test"]')).body.Resources.map(
        (r: { id: string }) => r.id,
      ),
    ).toEqual([ids[2]]);
    expect(
      (await q('emails[type eq "work"].value eq "page1@paging.test"')).body.Resources.map((r: { id: string }) => r.id),
    ).toEqual([ids[1]]);
    expect((await q('userName eq "page1@paging.test" and title eq "lead"')).body.totalResults).toBe(1);
    expect((await q('externalId eq "nothing"')).body.totalResults).toBe(0);
  });

  it('startIndex/count page in a stable order with integer fields', async () => {
    const all = await q('userName sw "page"');
    const p2 = await w.scim('GET', `/Users?filter=${encodeURIComponent('userName sw "page"')}&startIndex=2&count=1`);
    expect(p2.body).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2 });
    expect(p2.body.Resources[0].id).toBe(all.body.Resources[1].id);
    const again = await w.scim('GET', `/Users?filter=${encodeURIComponent('userName sw "page"')}&startIndex=2&count=1`);
    expect(again.body.Resources[0].id).toBe(p2.body.Resources[0].id);
    const zero = await w.scim('GET', '/Users?count=0');
    expect(zero.body.itemsPerPage).toBe(0);
    expect(zero.body.totalResults).toBeGreaterThanOrEqual(3);
  });

  it('attributes and excludedAttributes', async () => {
    const a = await w.scim('GET', `/Users/${ids[0]}?attributes=userName,${ENTERPRISE}:department`);
    expect(Object.keys(a.body).sort()).toEqual(['id', 'schemas', 'userName', ENTERPRISE].sort());
    expect(a.body[ENTERPRISE]).toEqual({ department: 'Sales' });
    const e = await w.scim(
      'GET',
      `/Users?excludedAttributes=emails,groups&filter=${encodeURIComponent(`id eq "${ids[0]}"`)}`,
    );
    expect(e.body.Resources[0].emails).toBeUndefined();
    expect(e.body.Resources[0].userName).toBe('page0@paging.test');
  });

  it('unknown attributes are kept', async () => {
    const r = await w.scim('POST', '/Users', {
      schemas: [USER, 'urn:example:custom'],
      userName: 'custom@paging.test',
      'urn:example:custom': { shoeSize: 44 },
      favouriteColour: 'teal',
    });
    expect(r.status).toBe(201);
    const back = await w.scim('GET', `/Users/${r.body.id}`);
    expect(back.body).toMatchObject({ favouriteColour: 'teal', 'urn:example:custom': { shoeSize: 44 } });
  });
});

describe('discovery resources', () => {
  it('ServiceProviderConfig, Schemas, ResourceTypes', async () => {
    const spc = await w.scim('GET', '/ServiceProviderConfig');
    expect(spc.status).toBe(200);
    expect(spc.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      bulk: { supported: false },
    });
    const schemas = await w.scim('GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([USER, ENTERPRISE, GROUP]);
    const user = await w.scim('GET', `/Schemas/${USER}`);
    expect(user.body.attributes.find((a: { name: string }) => a.name === 'userName')).toMatchObject({
      required: true,
      uniqueness: 'server',
      caseExact: false,
    });
    const types = await w.scim('GET', '/ResourceTypes');
    expect(types.body.Resources.map((t: { endpoint: string }) => t.endpoint)).toEqual(['/Users', '/Groups']);
  });
});

describe('tokens and accounts', () => {
  it('a missing or wrong token is 401 in the error shape; other plans and packages 403 with the reason', async () => {
    const none = await w.scim('GET', '/Users', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ schemas: [ERROR], status: '401' });
    expect((await w.scim('GET', '/Users', undefined, { token: 'x'.repeat(40) })).status).toBe(401);
    const pro = await w.scim('GET', '/Users', undefined, { token: 'scim-globex-token-0123456789abcdef-0123456' });
    expect(pro.status).toBe(403);
    expect(pro.body.detail).toMatch(/Enterprise plan/);
    const nokit = await w.scim('GET', '/Users', undefined, { token: 'scim-nokit-token-0123456789abcdef-01234567' });
    expect(nokit.status).toBe(403);
    expect(nokit.body.detail).toMatch(/Enterprise toolkit/);
  });

  it("one account's token never sees or changes another account's users and groups", async () => {
    const mine = await w.scim('POST', '/Users', { schemas: [USER], userName: 'isolated@acme.test' });
    const g = await w.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Isolated' });
    const other = { token: UMBRELLA_TOKEN };
    expect((await w.scim('GET', `/Users/${mine.body.id}`, undefined, other)).status).toBe(404);
    expect(
      (
        await w.scim(
          'PATCH',
          `/Users/${mine.body.id}`,
          { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] },
          other,
        )
      ).status,
    ).toBe(404);
    expect((await w.scim('DELETE', `/Users/${mine.body.id}`, undefined, other)).status).toBe(404);
    expect((await w.scim('GET', `/Groups/${g.body.id}`, undefined, other)).status).toBe(404);
    const list = await w.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "isolated@acme.test"')}`,
      undefined,
      other,
    );
    expect(list.body.totalResults).toBe(0);
    // A group in umbrella cannot take acme's user as a member.
    const ug = await w.scim(
      'POST',
      '/Groups',
      { schemas: [GROUP], displayName: 'U', members: [{ value: mine.body.id }] },
      other,
    );
    expect(ug.status).toBe(400);
    // The same userName may exist in both accounts: it is the same person joining a second account.
    const twin = await w.scim('POST', '/Users', { schemas: [USER], userName: 'isolated@acme.test' }, other);
    expect(twin.status).toBe(201);
    expect((await w.scim('GET', `/Users/${mine.body.id}`)).body.active).toBe(true);
  });
});

describe('group-to-team mappings', () => {
  it('members of a mapped group get the level on the bot; leaving the group removes it; hand-made places stay', async () => {
    const db = w.run.store.db;
    db.prepare(
      "INSERT INTO scim_group_teams (account_id, group_name, bot_id, level, created_at) VALUES ('acme', 'Helpdesk team', 'helpdesk', 'operator', 0)",
    ).run();
    const u = await w.scim('POST', '/Users', { schemas: [USER], userName: 'teamer@acme.test' });
    const g = await w.scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'helpdesk TEAM',
      members: [{ value: u.body.id }],
    });
    const user = findUserByEmail(db, 'teamer@acme.test')!;
    expect(teamLevel(db, 'helpdesk', user.id)).toBe('operator');
    // carol is on the helpdesk team by hand (operator): joining and leaving the group leaves her place alone.
    const carol = await w.scim('POST', '/Users', { schemas: [USER], userName: 'carol@acme.test' });
    await w.scim('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: carol.body.id }] }],
    });
    await w.scim('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members', value: [{ value: u.body.id }, { value: carol.body.id }] }],
    });
    expect(teamLevel(db, 'helpdesk', user.id)).toBeUndefined();
    expect(teamLevel(db, 'helpdesk', findUserByEmail(db, 'carol@acme.test')!.id)).toBe('operator');
  });
});
