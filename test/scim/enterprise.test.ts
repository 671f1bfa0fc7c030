import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userPage } from '../../src/main/engine/directory/directory';
import { ENTERPRISE, OKTA_UA, PATCH_OP, USER, scimWorld, type ScimWorld } from './harness';

/**
 * The SCIM enterprise extension (RFC 7643 §4.3) over HTTP: what the IdP sends is kept, returned on GET, and
 * `manager` is set and removed in both vendors' PATCH forms (Entra ID: a URN path with the bare id; Okta: a
 * no-path value object).
 */
let w: ScimWorld;
beforeAll(async () => {
  w = await scimWorld();
});
afterAll(async () => w.cleanup());

const MANAGER = '26118915-6090-4610-87e4-49d8ca9f808d';

async function newUser(userName: string, ua?: string): Promise<string> {
  const r = await w.scim(
    'POST',
    '/Users',
    {
      schemas: [USER, ENTERPRISE],
      userName,
      active: true,
      emails: [{ value: userName, type: 'work', primary: true }],
      [ENTERPRISE]: {
        employeeNumber: '701984',
        costCenter: '4130',
        organization: 'Acme Corp',
        division: 'Operations',
        department: 'Support',
        manager: { value: MANAGER },
      },
    },
    ua ? { ua } : {},
  );
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const ext = async (id: string) => (await w.scim('GET', `/Users/${id}`)).body[ENTERPRISE];

describe('SCIM enterprise extension', () => {
  it('POST keeps all six attributes and GET returns them', async () => {
    const id = await newUser('gina@acme.test');
    expect(await ext(id)).toEqual({
      employeeNumber: '701984',
      costCenter: '4130',
      organization: 'Acme Corp',
      division: 'Operations',
      department: 'Support',
      manager: { value: MANAGER },
    });
    const list = await w.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "gina@acme.test"')}`);
    expect(list.body.Resources[0][ENTERPRISE].department).toBe('Support');
  });

  it('Entra ID: manager set with the URN path and a bare id, kept; removed with Remove; other fields stay', async () => {
    const id = await newUser('hal@acme.test');
    const other = '0b0c0d0e-1111-2222-3333-444455556666';
    const set = await w.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: other }],
    });
    expect(set.status).toBe(200);
    expect((await ext(id)).manager).toEqual({ value: other });

    const removed = await w.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: `${ENTERPRISE}:manager` }],
    });
    expect(removed.status).toBe(200);
    const after = await ext(id);
    expect(after.manager).toBeUndefined();
    expect(after.department).toBe('Support');

    // Entra ID's "manager cleared": Replace with an empty id removes it too.
    await w.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: other }],
    });
    expect((await ext(id)).manager).toEqual({ value: other });
    await w.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' }],
    });
    expect((await ext(id)).manager).toBeUndefined();
  });

  it('Okta: manager and department set with a no-path value object, and removed', async () => {
    const id = await newUser('ivy@acme.test', OKTA_UA);
    const other = 'a1a2a3a4-b1b2-c1c2-d1d2-e1e2e3e4e5e6';
    const set = await w.scim(
      'PATCH',
      `/Users/${id}`,
      {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { [ENTERPRISE]: { manager: { value: other }, department: 'Sales' } } }],
      },
      { ua: OKTA_UA },
    );
    expect(set.status).toBe(200);
    expect(await ext(id)).toMatchObject({ manager: { value: other }, department: 'Sales', costCenter: '4130' });

    const removed = await w.scim(
      'PATCH',
      `/Users/${id}`,
      {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { [ENTERPRISE]: { manager: null } } }],
      },
      { ua: OKTA_UA },
    );
    expect(removed.status).toBe(200);
    const after = await ext(id);
    expect(after.manager).toBeUndefined();
    expect(after.department).toBe('Sales');
  });

  it('the user page shows what the IdP sent, the manager by userName when provisioned here', async () => {
    const boss = await newUser('boss@acme.test');
    const id = await newUser('jo@acme.test');
    await w.scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: boss }],
    });
    const page = userPage(w.run.store.db, 'jo@acme.test', w.clock.now());
    expect(page.accounts.find((a) => a.accountId === 'acme')?.enterprise).toEqual({
      department: 'Support',
      employeeNumber: '701984',
      costCenter: '4130',
      organization: 'Acme Corp',
      division: 'Operations',
      managerId: boss,
      managerUserName: 'boss@acme.test',
    });
    // A user the IdP sent nothing for has no enterprise facts.
    const ann = userPage(w.run.store.db, 'ann@acme.test', w.clock.now());
    expect(ann.accounts.every((a) => a.enterprise === null)).toBe(true);
  });
});
