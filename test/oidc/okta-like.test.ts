import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { CodeBrowser, startWorld, waitFor, type World } from './helpers';
import { startVendorIdp, type VendorIdp } from './vendor-idps';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { formUrlEncode } from '../../src/main/engine/oidc/client-config';
import { simulatorRunsFor } from '../../src/main/engine/simulator/runs';

/**
 * Against an IdP that behaves like Okta: exact redirect match (port included) and client_secret_basic
 * only, with the Basic credentials taken as sent. The client ID has a dash, as Okta's often do.
 */
const CLIENT_ID = 'desk-okta';
const SECRET = 'okta-Secret_with.dots-and-dashes*0123456789';

async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let port: number;
let idp: VendorIdp;
beforeAll(async () => {
  port = await freePort();
  idp = await startVendorIdp('okta', {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: SECRET,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: [`http://127.0.0.1:${port}/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    users: [
      { sub: 'ann@acme.test', claims: { email: 'ann@acme.test', email_verified: true, name: 'Ann' } },
      { sub: 'dana@example.test', claims: { email: 'dana@example.test', email_verified: true, name: 'Dana' } },
    ],
  });
});
afterAll(() => idp.close());

let world: World;
beforeEach(async () => {
  world = await startWorld();
  idp.tokenRequests.length = 0;
});
afterEach(async () => {
  await oidcEngineFor(world.booted.ctx).close();
  await world.close();
});

function save(extra: Record<string, unknown> = {}) {
  return oidcEngineFor(world.booted.ctx).save({
    account: 'acme',
    enabled: true,
    preset: 'generic',
    presetParams: {},
    issuer: idp.issuer,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    clearClientSecret: false,
    scopes: ['openid', 'email', 'profile'],
    redirectHost: '127.0.0.1',
    actor: 'admin@acme.test',
    ...extra,
  });
}

describe('an Okta-like IdP (exact redirect, client_secret_basic only)', () => {
  it('with a fixed port: the Redirect URL shows it, the listener binds it, Basic credentials keep the dash', async () => {
    const view = save({ redirectPort: port });
    expect(view.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
    expect(view.clientAuthEffective).toBe('client_secret_basic');
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    expect(new URL(start.authorizationUrl).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann@acme.test', 'any');
    expect((r as { callback: string }).callback.startsWith(`http://127.0.0.1:${port}/callback?`)).toBe(true);
    expect((await fetch((r as { callback: string }).callback)).status).toBe(200);
    const s = engine.flows.status(start.flowId);
    expect(s.state).toBe('signed_in');
    // RFC 6749 §2.3.1: letters, digits and -._* stay as they are.
    const basic = Buffer.from(idp.tokenRequests[0]!.authorization!.slice(6), 'base64').toString();
    expect(basic).toBe(`${CLIENT_ID}:${SECRET}`);
    expect(idp.tokenRequests[0]!.body).not.toContain('client_secret=');
    expect(s.steps.find((x) => x.step === 'authorize')!.detail).toContain(
      'token endpoint authentication client_secret_basic (auto: the IdP lists client_secret_basic, none)',
    );
    expect(JSON.stringify(s)).not.toContain(SECRET);
  });

  it('any port: the IdP shows an error page instead of a login page, and SSO Desk says what that usually means', async () => {
    const view = save({ redirectPort: null });
    expect(view.redirectUri).toBe('http://127.0.0.1/callback');
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const page = await fetch(start.authorizationUrl, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain("The 'redirect_uri' parameter must be a Login redirect URI");
    const s = engine.flows.status(start.flowId);
    expect(s.state).toBe('waiting');
    expect(s.waitingHint).toMatch(/^If the IdP shows an error page instead of its login page/);
    expect(s.waitingHint).toContain('use a fixed port');
  });

  it('openid-client’s own Basic encoding (desk%2Dokta) is what this IdP refuses; ours is RFC 6749 §2.3.1', async () => {
    expect(formUrlEncode('desk-okta._*')).toBe('desk-okta._*');
    expect(formUrlEncode('a b+c:d/é~')).toBe('a+b%2Bc%3Ad%2F%C3%A9%7E');
    const headers = new Headers();
    await client.ClientSecretBasic(SECRET)(
      { issuer: idp.issuer },
      { client_id: CLIENT_ID },
      new URLSearchParams(),
      headers,
    );
    const raw = Buffer.from(headers.get('authorization')!.slice(6), 'base64').toString();
    expect(raw.startsWith('desk%2Dokta:')).toBe(true);
    const refused = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { authorization: headers.get('authorization')!, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=x&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback',
    });
    expect(refused.status).toBe(401);
  });

  it('client_secret_post chosen by hand: refused, and the reason names the method and what to check', async () => {
    save({ redirectPort: port, clientAuth: 'client_secret_post' });
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann@acme.test', 'any');
    expect((await fetch((r as { callback: string }).callback)).status).toBe(400);
    const s = engine.flows.status(start.flowId);
    expect(s.error?.code).toBe('token_refused');
    expect(s.error?.message).toContain(
      'the IdP refused the client credentials sent as client_secret_post (invalid_client): check the secret and the client’s authentication method at the IdP',
    );
    expect(idp.tokenRequests[0]!.body).toContain('client_secret=');
  });

  it('a taken fixed port is a clear error naming the port; nothing waits', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(port, '127.0.0.1', () => r()));
    try {
      save({ redirectPort: port });
      await expect(oidcEngineFor(world.booted.ctx).flows.start('ann@acme.test')).rejects.toMatchObject({
        code: 'port_in_use',
        field: 'redirectPort',
        message: expect.stringContaining(`the fixed redirect port ${port} is in use`),
      });
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it('a replay that the IdP answers with another user’s open session ends amber; a fresh login signs the right user in', async () => {
    save({ redirectPort: port });
    const runs = simulatorRunsFor(world.booted.ctx);
    const browser = new CodeBrowser();
    // dana signs in first: the IdP keeps her session in this browser.
    const first = await runs.start({ email: 'dana@example.test', method: 'sso', device: {}, account: 'acme' });
    await fetch(
      ((await browser.signInAtIdp(first.sso!.authorizationUrl, 'dana@example.test', 'any')) as { callback: string })
        .callback,
    );
    await waitFor(() => runs.status(first.runId).state === 'done');

    // Replaying ann in the same browser: the IdP reuses dana's session without asking.
    const replay = await runs.start({ email: 'ann@acme.test', method: 'sso', device: {}, account: 'acme' });
    const logins = () => browser.pages.filter((p) => /type="password"/.test(p)).length;
    const pagesBefore = logins();
    await fetch(
      ((await browser.signInAtIdp(replay.sso!.authorizationUrl, 'ann@acme.test', 'any')) as { callback: string })
        .callback,
    );
    expect(logins()).toBe(pagesBefore);
    await waitFor(() => runs.status(replay.runId).state === 'done');
    const amber = runs.status(replay.runId).outcome!;
    expect(amber).toMatchObject({ ok: false, level: 'warn', code: 'other_user' });
    expect(amber.sentence).toBe(
      'The IdP signed in dana@example.test, not ann@acme.test: it reused an open session — run again with a fresh login.',
    );

    // Again with a fresh login: prompt=login and max_age=1 make the IdP ask who signs in (not 0: Glewlwyd refuses it).
    const fresh = await runs.start({
      email: 'ann@acme.test',
      method: 'sso',
      device: {},
      account: 'acme',
      freshLogin: true,
    });
    const url = new URL(fresh.sso!.authorizationUrl);
    expect([url.searchParams.get('prompt'), url.searchParams.get('max_age')]).toEqual(['login', '1']);
    await fetch(
      ((await browser.signInAtIdp(fresh.sso!.authorizationUrl, 'ann@acme.test', 'any')) as { callback: string })
        .callback,
    );
    expect(logins()).toBe(pagesBefore + 1);
    await waitFor(() => runs.status(fresh.runId).state === 'done');
    expect(runs.status(fresh.runId).outcome).toMatchObject({ ok: true, level: 'ok', code: null });
  });
});
