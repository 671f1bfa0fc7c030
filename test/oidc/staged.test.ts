import { afterEach, beforeEach, expect, it } from 'vitest';
import { startWorld, type World } from './helpers';
import { decidePassword } from '../../src/main/engine/policy';
import { putScimConfig } from '../../src/main/store/scim';
import { sha256 } from '../../src/main/engine/crypto/hash';

/*
 * Issue #23, point 2 of the issue (staged enforcement): SSO required first for chosen members — by role
 * or by a group the IdP provisions — then for everyone. The others keep their password meanwhile.
 */
let world: World;
const TOKEN = 'scim-stage-token-0123456789abcdef-0123456789';
beforeEach(async () => {
  world = await startWorld();
  putScimConfig(world.booted.ctx.store.db, {
    accountId: 'acme',
    enabled: true,
    tokenHash: sha256(TOKEN),
    tokenLast4: TOKEN.slice(-4),
    tokenCreatedAt: 0,
    updatedAt: 0,
  });
});
afterEach(() => world.close());

type Reply = { ok: true; value: any } | { ok: false; error: { code: string; message: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = (name: string, input: unknown) => world.booted.dispatch(name, input) as Promise<Reply>;
const save = (stage: unknown) =>
  call('sso.oidc.save', {
    account: 'acme',
    enabled: true,
    issuer: world.booted.urls.idp,
    clientId: 'sso-desk-demo',
    scopes: ['openid', 'email', 'profile'],
    actor: 'ann@acme.test',
    stage,
  });
const password = (email: string) => decidePassword(world.booted.ctx.store.db, email, 'acme').allowed;
const scim = async (method: string, path: string, body: unknown) => {
  const res = await fetch(`${world.booted.urls.api}/scim/v2${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { id: string };
};

it('by role first: admins need SSO, the others keep their password; the preview names who moves and who keeps', async () => {
  const preview = await call('sso.oidc.stagePreview', { account: 'acme', stage: { roles: ['admin'] } });
  expect(preview).toMatchObject({
    ok: true,
    value: {
      moving: ['bob@acme.test'],
      keeping: expect.arrayContaining([
        { email: 'carol@acme.test', why: 'not in the first stage (admins)' },
        { email: 'ann@acme.test', why: 'not in the first stage (admins)' },
      ]),
    },
  });
  expect(await save({ roles: ['admin'] })).toMatchObject({
    ok: true,
    value: { enforcement: { stage: { roles: ['admin'], group: null }, usersLosingPassword: 1 } },
  });
  expect(password('bob@acme.test')).toBe(false);
  expect(password('carol@acme.test')).toBe(true);
  expect(decidePassword(world.booted.ctx.store.db, 'carol@acme.test', 'acme').reason).toMatch(
    /SSO is on for Acme Corp .* but required only for admins so far — may still use a password/,
  );

  // Then everyone.
  expect(await save(null)).toMatchObject({ ok: true, value: { enforcement: { stage: null } } });
  expect(password('carol@acme.test')).toBe(false);
});

it('by a SCIM-provisioned group: its members need SSO first', async () => {
  const carol = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'carol@acme.test',
  });
  await scim('POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Engineering',
    members: [{ value: carol.id }],
  });
  const preview = await call('sso.oidc.stagePreview', { account: 'acme', stage: { group: 'Engineering' } });
  expect(preview).toMatchObject({ ok: true, value: { moving: ['carol@acme.test'], groups: ['Engineering'] } });
  expect(await save({ roles: [], group: 'Engineering' })).toMatchObject({ ok: true });
  expect(password('carol@acme.test')).toBe(false);
  expect(password('dana@example.test')).toBe(true);
  expect(password('bob@acme.test')).toBe(true);
});
