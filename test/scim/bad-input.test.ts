import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_TOKEN, ERROR, GROUP, OKTA_UA, PATCH_OP, USER, scimWorld, type ScimWorld } from './harness';
import { queryAudit } from '../../src/main/store/audit';

let w: ScimWorld;
let userId = '';
beforeAll(async () => {
  w = await scimWorld();
  userId = (await w.scim('POST', '/Users', { schemas: [USER], userName: 'target@acme.test' })).body.id;
});
afterAll(async () => w.cleanup());

const isScimError = (
  r: { status: number; body: { schemas?: string[]; status?: string }; type: string | null },
  status: number,
  scimType?: string,
) => {
  expect(r.status).toBe(status);
  expect(r.type).toMatch(/^application\/scim\+json/);
  expect(r.body.schemas).toEqual([ERROR]);
  expect(r.body.status).toBe(String(status));
  if (scimType) expect(r.body).toMatchObject({ scimType });
};

describe('bad input gets a SCIM error, never a 5xx', () => {
  it('malformed JSON, an empty body, a body that is not an object', async () => {
    isScimError(await w.scim('POST', '/Users', undefined, { raw: '{"userName": ' }), 400, 'invalidSyntax');
    isScimError(await w.scim('POST', '/Users', undefined, { raw: '' }), 400, 'invalidSyntax');
    isScimError(await w.scim('POST', '/Users', [1, 2]), 400, 'invalidSyntax');
    isScimError(await w.scim('PATCH', `/Users/${userId}`, 'replace'), 400, 'invalidSyntax');
    isScimError(await w.scim('POST', '/Groups', null), 400, 'invalidSyntax');
  });

  it('missing or wrong-typed attributes', async () => {
    isScimError(await w.scim('POST', '/Users', { schemas: [USER] }), 400, 'invalidValue');
    isScimError(await w.scim('POST', '/Users', { userName: 42 }), 400, 'invalidValue');
    isScimError(await w.scim('POST', '/Users', { userName: 'not-an-email' }), 400, 'invalidValue');
    isScimError(await w.scim('POST', '/Users', { userName: 'x@acme.test', active: 'maybe' }), 400, 'invalidValue');
    isScimError(
      await w.scim('POST', '/Users', { userName: 'x@acme.test', emails: 'x@acme.test' }),
      400,
      'invalidValue',
    );
    isScimError(await w.scim('POST', '/Groups', { schemas: [GROUP] }), 400, 'invalidValue');
    isScimError(
      await w.scim('POST', '/Groups', { displayName: 'g', members: [{ value: 'no-such-user' }] }),
      400,
      'invalidValue',
    );
  });

  it('unknown filter operators and broken filters → invalidFilter', async () => {
    for (const f of [
      'userName xx "a"',
      'userName eq',
      '(userName eq "a"',
      'emails[type eq "work"',
      'userName eq "a" and',
      '"a" eq userName',
      'x'.repeat(5000),
    ]) {
      isScimError(await w.scim('GET', `/Users?filter=${encodeURIComponent(f)}`), 400, 'invalidFilter');
    }
    isScimError(
      await w.scim('GET', `/Groups?filter=${encodeURIComponent('displayName zz "x"')}`),
      400,
      'invalidFilter',
    );
    isScimError(await w.scim('GET', '/Users?startIndex=abc'), 400, 'invalidValue');
  });

  it('PATCH: unknown op, paths that do not exist, remove without a path, read-only attributes', async () => {
    const patch = (ops: unknown[]) => w.scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: ops });
    isScimError(await patch([{ op: 'move', path: 'userName', value: 'x' }]), 400, 'invalidSyntax');
    isScimError(await patch([{ op: 'replace', path: 'noSuchAttribute', value: 'x' }]), 400, 'invalidPath');
    isScimError(await patch([{ op: 'replace', path: 'name..givenName', value: 'x' }]), 400, 'invalidPath');
    isScimError(await patch([{ op: 'replace', path: 'emails[type eq]', value: 'x' }]), 400, 'invalidPath');
    isScimError(await patch([{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }]), 400, 'invalidPath');
    isScimError(await patch([{ op: 'remove' }]), 400, 'noTarget');
    isScimError(await patch([{ op: 'replace', path: 'id', value: 'mine' }]), 400, 'mutability');
    isScimError(await patch([{ op: 'replace', path: 'emails[type eq "home"].value', value: 'x' }]), 400);
    isScimError(await patch([]), 400, 'invalidSyntax');
    isScimError(
      await w.scim('PATCH', `/Users/${userId}`, {
        schemas: ['urn:wrong'],
        Operations: [{ op: 'add', value: { title: 'x' } }],
      }),
      400,
      'invalidSyntax',
    );
    isScimError(await patch([{ op: 'replace', path: 42, value: 'x' }]), 400, 'invalidPath');
    isScimError(await patch([{ op: 'add', value: 'not an object' }]), 400, 'invalidValue');
    // The user is unchanged by every refused PATCH.
    expect((await w.scim('GET', `/Users/${userId}`)).body).toMatchObject({
      userName: 'target@acme.test',
      active: true,
    });
  });

  it('unknown resources and ids → 404; methods a resource does not take → 405', async () => {
    isScimError(await w.scim('GET', '/Nothing'), 404);
    isScimError(await w.scim('GET', '/Users/abc/def'), 404);
    isScimError(await w.scim('GET', '/Users/%E0%A4%A'), 404);
    isScimError(await w.scim('DELETE', '/Groups/none'), 404);
    isScimError(await w.scim('DELETE', '/Users'), 405);
    isScimError(await w.scim('POST', '/ServiceProviderConfig', {}), 405);
    isScimError(await w.scim('GET', '/Schemas/urn:nope'), 404);
  });

  it('a body over 1 MiB → 413; a body just under 1 MiB is processed', async () => {
    const big = { schemas: [USER], userName: 'big@acme.test', padding: 'x'.repeat(1024 * 1024) };
    isScimError(await w.scim('POST', '/Users', big), 413);
    const under = await w.scim('POST', '/Users', {
      schemas: [USER],
      userName: 'under@acme.test',
      padding: 'y'.repeat(1000 * 1000),
    });
    expect(under.status).toBe(201);
  }, 90_000);

  it('10,000 members in one PATCH: unknown ids refused as a whole; known ones added in one request', async () => {
    const g = await w.scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Everyone' });
    const unknown = Array.from({ length: 10_000 }, (_, i) => ({ value: `unknown-${i}` }));
    const r = await w.scim('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: unknown }],
    });
    isScimError(r, 400, 'invalidValue');
    // 10,000 real users, seeded in one transaction (creating them over HTTP is the benchmark's job).
    const db = w.run.store.db;
    const ids: string[] = [];
    const addUser = db.prepare('INSERT INTO users (email, name, created_at) VALUES (?, ?, 0)');
    const addMember = db.prepare(
      "INSERT INTO memberships (account_id, user_id, role, source) VALUES ('acme', ?, 'member', 'scim')",
    );
    const addScim = db.prepare(
      "INSERT INTO scim_users (id, account_id, user_id, user_name, resource, created_at, updated_at) VALUES (?, 'acme', ?, ?, ?, 0, 0)",
    );
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        const email = `m${i}@many.test`;
        const uid = Number(addUser.run(email, email).lastInsertRowid);
        addMember.run(uid);
        const id = `many-${i}`;
        addScim.run(id, uid, email, JSON.stringify({ schemas: [USER], userName: email }));
        ids.push(id);
      }
    })();
    // The seeding held the event loop for a while: let idle keep-alive sockets close before the next request.
    await new Promise((r) => setTimeout(r, 100));
    const members = ids.map((value) => ({ value }));
    const ok = await w.scim('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: members }],
    });
    expect(ok.status).toBe(204);
    const back = await w.scim('GET', `/Groups/${g.body.id}`);
    expect(back.body.members).toHaveLength(10_000);
    const removeAll = await w.scim('PATCH', `/Groups/${g.body.id}`, {
      schemas: [PATCH_OP],
      Operations: ids.map((value) => ({ op: 'remove', path: `members[value eq "${value}"]` })),
    });
    expect(removeAll.status).toBe(204);
    expect((await w.scim('GET', `/Groups/${g.body.id}`)).body.members).toEqual([]);
  }, 90_000);
});

describe('the provisioning log', () => {
  it('every request is an audit event with method, path, status, changes, duration and IdP; the token never appears', async () => {
    await w.scim('POST', '/Users', { schemas: [USER], userName: 'logged@acme.test' }, { ua: OKTA_UA });
    await w.scim('GET', '/Users', undefined, { token: 'wrong-token-wrong-token-wrong-token-00' });
    const rows = queryAudit(w.run.store.db, { method: 'scim' }, { limit: 500 });
    const created = rows.find(
      (e) => e.reason?.startsWith('POST /scim/v2/Users → 201') && e.reason.includes('logged@acme.test'),
    );
    expect(created).toMatchObject({
      kind: 'scim.request',
      accountId: 'acme',
      actor: 'Okta',
      method: 'scim',
      outcome: 'ok',
    });
    expect(created!.durationMs).toEqual(expect.any(Number));
    expect(created!.detail).toMatchObject({ method: 'POST', path: '/scim/v2/Users', status: 201, idp: 'Okta' });
    expect((created!.detail as { changes: string[] }).changes.join(' ')).toMatch(/created user logged@acme\.test/);
    const refused = rows.find((e) => e.reason?.startsWith('GET /scim/v2/Users → 401'));
    expect(refused).toMatchObject({ outcome: 'refused', accountId: null });
    const everything = JSON.stringify(w.run.store.db.prepare('SELECT * FROM audit_events').all());
    expect(everything).not.toContain(ACME_TOKEN);
    expect(everything).not.toContain('wrong-token-wrong-token');
    expect(JSON.stringify(w.run.store.db.prepare('SELECT * FROM scim_config').all())).not.toContain(ACME_TOKEN);
  });
});
