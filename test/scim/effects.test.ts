import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { OKTA_UA, PATCH_OP, UMBRELLA_TOKEN, USER, scimWorld, type ScimWorld } from './harness';
import { CodeBrowser, startWorld, type World } from '../oidc/helpers';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { putPassthrough } from '../../src/main/store/sso-config';
import { putScimConfig } from '../../src/main/store/scim';
import { findUserByEmail } from '../../src/main/store/users';
import { getMembership } from '../../src/main/store/accounts';
import { sha256 } from '../../src/main/engine/crypto/hash';
import { listenLoopback, closeServer } from '../../src/main/server/listen';

/*
 * Point 4: `active: false` from the IdP refuses the user on every sign-in path of that account, with the
 * reason, and ends what is open; reactivation restores access; DELETE removes the membership.
 */

const PASSWORD = 'Provisioned-pa55word!';
const deactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] };
const reactivate = { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] };

const login = (api: string, body: Record<string, unknown>) =>
  fetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('password login, pass-through and Platform SSO', () => {
  let w: ScimWorld;
  let external: Server;
  let externalUrl = '';
  let externalHits = 0;

  beforeAll(async () => {
    w = await scimWorld();
    // A real external authentication service that counts what reaches it.
    external = createServer((req, res) => {
      externalHits++;
      req.resume();
      req.on('end', () => {
        res.writeHead(200);
        res.end('ok');
      });
    });
    externalUrl = await listenLoopback(external, 0, 'external auth');
    putPassthrough(w.run.store.db, {
      accountId: 'umbrella',
      enabled: true,
      url: `${externalUrl}/login`,
      method: 'POST',
      dataAs: 'json',
      authType: 'none',
      headers: {},
      body: '',
      forgotPasswordUrl: null,
      timeoutMs: 2000,
      updatedAt: 0,
    });
  });
  afterAll(async () => {
    await closeServer(external);
    await w.cleanup();
  });

  it('password login: refused with the reason while deactivated, its open session ended, restored on reactivation', async () => {
    const created = await w.scim(
      'POST',
      '/Users',
      { schemas: [USER], userName: 'pat@acme.test', password: PASSWORD, active: true },
      { ua: OKTA_UA },
    );
    expect(created.status).toBe(201);
    const ok = await login(w.run.api, { email: 'pat@acme.test', password: PASSWORD });
    expect(ok.status).toBe(200);
    const { session } = (await ok.json()) as { session: { token: string } };
    const sessionOk = await fetch(`${w.run.api}/auth/session`, {
      headers: { Authorization: `Bearer ${session.token}` },
    });
    expect(sessionOk.status).toBe(200);

    expect((await w.scim('PATCH', `/Users/${created.body.id}`, deactivate, { ua: OKTA_UA })).body.active).toBe(false);
    const refused = await login(w.run.api, { email: 'pat@acme.test', password: PASSWORD });
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('deactivated');
    expect(body.error.message).toMatch(/deactivated in Acme Corp by provisioning from Okta on 2026-11-25/);
    const ended = await fetch(`${w.run.api}/auth/session`, { headers: { Authorization: `Bearer ${session.token}` } });
    expect(ended.status).toBe(401);

    await w.scim('PATCH', `/Users/${created.body.id}`, reactivate, { ua: OKTA_UA });
    expect((await login(w.run.api, { email: 'pat@acme.test', password: PASSWORD })).status).toBe(200);
  }, 90_000);

  it('pass-through: a deactivated user is refused and no request reaches the external service', async () => {
    const created = await w.scim(
      'POST',
      '/Users',
      { schemas: [USER], userName: 'quinn@umbrella.test', password: 'dropped-because-pass-through' },
      { token: UMBRELLA_TOKEN },
    );
    expect(created.status).toBe(201);
    // The account checks passwords elsewhere: the provisioned password was dropped, not stored.
    expect(findUserByEmail(w.run.store.db, 'quinn@umbrella.test')!.passwordHash).toBeNull();
    const before = externalHits;
    expect((await login(w.run.api, { email: 'quinn@umbrella.test', password: 'anything' })).status).toBe(200);
    expect(externalHits).toBe(before + 1);

    await w.scim(
      'PATCH',
      `/Users/${created.body.id}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
      { token: UMBRELLA_TOKEN },
    );
    const refused = await login(w.run.api, { email: 'quinn@umbrella.test', password: 'anything' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /by provisioning from Microsoft Entra ID/,
    );
    expect(externalHits).toBe(before + 1);

    await w.scim('PATCH', `/Users/${created.body.id}`, reactivate, { token: UMBRELLA_TOKEN });
    expect((await login(w.run.api, { email: 'quinn@umbrella.test', password: 'anything' })).status).toBe(200);
    expect(externalHits).toBe(before + 2);
  });

  it('Platform SSO: 404 while deactivated, open deep links revoked, a new token after reactivation', async () => {
    const issue = () =>
      fetch(`${w.run.api}/authorization/sso`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          AccountAPIKey: w.keys.acme,
          BotAPIKey: w.keys.helpdesk.key,
          BotAPISecret: w.keys.helpdesk.secret,
          Email: 'carol@acme.test',
        }),
      });
    // carol is on the Helpdesk team already; the IdP takes her over.
    const carol = await w.scim('POST', '/Users', { schemas: [USER], userName: 'carol@acme.test' });
    expect(carol.status).toBe(201);
    const first = await issue();
    expect(first.status).toBe(200);
    const { Home } = (await first.json()) as { Home: string };
    const landed = await fetch(Home, { redirect: 'manual' });
    expect(landed.status).toBe(200);
    const cookie = landed.headers.get('set-cookie')!.split(';')[0]!;

    await w.scim('PATCH', `/Users/${carol.body.id}`, deactivate, { ua: OKTA_UA });
    const refused = await issue();
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const reopened = await fetch(Home, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(reopened.status).not.toBe(200);
    const db = w.run.store.db;
    const userId = findUserByEmail(db, 'carol@acme.test')!.id;
    expect(
      db.prepare('SELECT count(*) AS n FROM sso_tokens WHERE user_id = ? AND revoked_at IS NULL').get(userId),
    ).toEqual({ n: 0 });
    expect(
      db
        .prepare(
          'SELECT count(*) AS n FROM sso_sessions s JOIN sso_tokens t ON t.id = s.token_id WHERE t.user_id = ? AND s.ended_at IS NULL',
        )
        .get(userId),
    ).toEqual({ n: 0 });

    await w.scim('PATCH', `/Users/${carol.body.id}`, reactivate, { ua: OKTA_UA });
    expect((await issue()).status).toBe(200);
  });

  it('DELETE removes the membership, and the user when no account is left', async () => {
    const db = w.run.store.db;
    // dana is in acme and globex: deleting her from acme keeps the user.
    const dana = await w.scim('POST', '/Users', { schemas: [USER], userName: 'dana@example.test' });
    const danaId = findUserByEmail(db, 'dana@example.test')!.id;
    expect((await w.scim('DELETE', `/Users/${dana.body.id}`)).status).toBe(204);
    expect(getMembership(db, 'acme', danaId)).toBeUndefined();
    expect(getMembership(db, 'globex', danaId)).toBeDefined();
    const solo = await w.scim('POST', '/Users', { schemas: [USER], userName: 'solo@acme.test' });
    expect(findUserByEmail(db, 'solo@acme.test')).toBeDefined();
    expect((await w.scim('DELETE', `/Users/${solo.body.id}`)).status).toBe(204);
    expect(findUserByEmail(db, 'solo@acme.test')).toBeUndefined();
    expect((await login(w.run.api, { email: 'solo@acme.test', password: 'x' })).status).toBe(401);
  });
});

describe('Sign in with SSO through the embedded IdP', () => {
  let world: World;
  const TOKEN = 'scim-boot-token-0123456789abcdef-0123456789';
  let api = '';
  const scim = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}/scim/v2${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/scim+json', 'User-Agent': OKTA_UA },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { id: string; active: boolean } };
  };

  beforeAll(async () => {
    world = await startWorld();
    api = world.booted.urls.api!;
    putScimConfig(world.booted.ctx.store.db, {
      accountId: 'acme',
      enabled: true,
      tokenHash: sha256(TOKEN),
      tokenLast4: TOKEN.slice(-4),
      tokenCreatedAt: 0,
      updatedAt: 0,
    });
  });
  afterAll(async () => world.close());

  it('refuses a deactivated user at the start and at the callback, ends the open SSO session, and lets them back in on reactivation', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const db = world.booted.ctx.store.db;
    const ann = await scim('POST', '/Users', { schemas: [USER], userName: 'ann@acme.test' });
    expect(ann.status).toBe(201);

    // Signed in before the IdP deactivates her.
    const start = await engine.flows.start('ann@acme.test');
    const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann@acme.test', world.password);
    expect((await fetch((r as { callback: string }).callback)).status).toBe(200);
    expect(engine.flows.status(start.flowId).state).toBe('signed_in');
    const annId = findUserByEmail(db, 'ann@acme.test')!.id;
    expect(
      db.prepare('SELECT count(*) AS n FROM oidc_sessions WHERE user_id = ? AND ended_at IS NULL').get(annId),
    ).toEqual({ n: 1 });

    // A second sign-in is under way at the IdP when the deactivation arrives.
    const pending = await engine.flows.start('ann@acme.test');
    const atIdp = await new CodeBrowser().signInAtIdp(pending.authorizationUrl, 'ann@acme.test', world.password);
    expect((await scim('PATCH', `/Users/${ann.body.id}`, deactivate)).body.active).toBe(false);
    expect(
      db.prepare('SELECT count(*) AS n FROM oidc_sessions WHERE user_id = ? AND ended_at IS NULL').get(annId),
    ).toEqual({ n: 0 });

    const page = await fetch((atIdp as { callback: string }).callback);
    expect(page.status).toBe(400);
    const failed = engine.flows.status(pending.flowId);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'deactivated' });
    expect(failed.error!.message).toMatch(/deactivated in Acme Corp by provisioning from Okta/);

    await expect(engine.flows.start('ann@acme.test')).rejects.toMatchObject({ code: 'deactivated' });

    await scim('PATCH', `/Users/${ann.body.id}`, reactivate);
    const again = await engine.flows.start('ann@acme.test');
    const back = await new CodeBrowser().signInAtIdp(again.authorizationUrl, 'ann@acme.test', world.password);
    expect((await fetch((back as { callback: string }).callback)).status).toBe(200);
    expect(engine.flows.status(again.flowId).state).toBe('signed_in');
    expect(getMembership(db, 'acme', annId)!.statusBy).toBe('scim:Okta');
  }, 90_000);
});
