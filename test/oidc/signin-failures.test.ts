import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { CodeBrowser, startWorld, waitFor, type World } from './helpers';
import { OidcEngine, oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { IDP_STATE_FILE } from '../../src/main/idp/keys';
import { insertUser } from '../../src/main/store/users';
import { insertMembership } from '../../src/main/store/accounts';
import { hashPassword } from '../../src/main/engine/crypto/hash';
import { queryAudit } from '../../src/main/store/audit';
import type { CustomFetch } from 'openid-client';

let world: World;
const extraEngines: OidcEngine[] = [];
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await Promise.all(extraEngines.splice(0).map((e) => e.close()));
  await world.close();
});

/** Globex is on Pro in the demo: the picker test upgrades it and points it at the embedded IdP. */
function enableSsoOnGlobex(): void {
  world.booted.ctx.store.db.prepare("UPDATE accounts SET plan = 'enterprise' WHERE id = 'globex'").run();
  oidcEngineFor(world.booted.ctx).save({
    account: 'globex',
    enabled: true,
    preset: 'generic',
    presetParams: {},
    issuer: world.booted.urls.idp!,
    clientId: 'sso-desk-demo',
    clearClientSecret: false,
    scopes: ['openid', 'email', 'profile'],
    redirectHost: '127.0.0.1',
    actor: 'erin@globex.test',
  });
}

/** Runs the browser step and returns the callback URL the IdP redirected to. */
async function callbackFor(authorizationUrl: string, email: string, password = world.password): Promise<string> {
  const r = await new CodeBrowser().signInAtIdp(authorizationUrl, email, password);
  if (!('callback' in r)) throw new Error(`login failed: ${r.loginError}`);
  return r.callback;
}

/** A man in the middle on the token endpoint: rewrites the ID token in the response. */
function tokenTamper(rewrite: (idToken: string) => Promise<string> | string): CustomFetch {
  return async (url, init) => {
    const res = await fetch(url, init as RequestInit);
    if (!url.endsWith('/token')) return res;
    const body = (await res.json()) as { id_token: string };
    body.id_token = await rewrite(body.id_token);
    return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
}

describe('account picker', () => {
  it('offers Acme and Globex to dana, and only those', async () => {
    enableSsoOnGlobex();
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('dana@example.test');
    expect(start.accounts.map((a) => a.id).sort()).toEqual(['acme', 'globex']);
    const page = await fetch(await callbackFor(start.authorizationUrl, 'dana@example.test'));
    expect(await page.text()).toContain('choose the account');
    const picking = engine.flows.status(start.flowId);
    expect(picking.state).toBe('picking');
    expect(picking.accounts).toEqual([
      { id: 'acme', name: 'Acme Corp' },
      { id: 'globex', name: 'Globex Inc' },
    ]);
    expect(() => engine.flows.pick(start.flowId, 'initech')).toThrow(/not one of the accounts offered/);
    const done = engine.flows.pick(start.flowId, 'globex');
    expect(done.state).toBe('signed_in');
    expect(done.session).toMatchObject({ email: 'dana@example.test', account: 'globex' });
    expect(() => engine.flows.pick(start.flowId, 'acme')).toThrow(/signed in, not waiting/);
  });

  it('signs dana straight in when only one of her accounts uses SSO', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('dana@example.test');
    await fetch(await callbackFor(start.authorizationUrl, 'dana@example.test'));
    expect(engine.flows.status(start.flowId)).toMatchObject({ state: 'signed_in', session: { account: 'acme' } });
  });
});

describe('callbacks that end the flow', () => {
  it('wrong state: refused, reason given, listener closed', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const cb = new URL(await callbackFor(start.authorizationUrl, 'ann@acme.test'));
    cb.searchParams.set('state', 'forged-state-value');
    const page = await fetch(cb);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('wrong state');
    const s = engine.flows.status(start.flowId);
    expect(s).toMatchObject({ state: 'failed', error: { code: 'state_mismatch' } });
    expect(s.steps.at(-1)).toMatchObject({ step: 'state', outcome: 'fail' });
    expect(JSON.stringify(s)).not.toContain('forged-state-value');
    await waitFor(() => !engine.flows.listenerOpen(start.flowId));
  });

  it('IdP error access_denied ends it with the reason', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const redirect = new URL(new URL(start.authorizationUrl).searchParams.get('redirect_uri')!);
    redirect.search = new URLSearchParams({
      error: 'access_denied',
      error_description: 'User cancelled',
      state: 'x',
    }).toString();
    const page = await fetch(redirect);
    expect(page.status).toBe(400);
    expect(engine.flows.status(start.flowId).error?.message).toMatch(
      /IdP error access_denied: the user or the IdP refused the sign-in — "User cancelled"/,
    );
  });

  it('replayed callback: after success the listener is gone, and a second flow refuses the old code', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const first = await engine.flows.start('ann@acme.test');
    const cb = await callbackFor(first.authorizationUrl, 'ann@acme.test');
    expect((await fetch(cb)).status).toBe(200);
    await expect(fetch(cb)).rejects.toThrow();
    expect(engine.flows.status(first.flowId).state).toBe('signed_in');

    const second = await engine.flows.start('ann@acme.test');
    const replay = new URL(cb);
    replay.port = new URL(new URL(second.authorizationUrl).searchParams.get('redirect_uri')!).port;
    expect((await fetch(replay)).status).toBe(400);
    expect(engine.flows.status(second.flowId).error?.code).toBe('state_mismatch');
  });

  it('a second callback while the first is in flight ends the flow', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const cb = await callbackFor(start.authorizationUrl, 'ann@acme.test');
    const [a, b] = await Promise.all([fetch(cb), fetch(cb).catch(() => null)]);
    const statuses = [a.status, b?.status].sort();
    expect(statuses).toContain(409);
    const s = engine.flows.status(start.flowId);
    expect(s).toMatchObject({ state: 'failed', error: { code: 'second_callback' } });
    expect(s.session).toBeNull();
  });
});

describe('ID token checks', () => {
  it('a tampered ID token (payload changed, signature kept) fails the signature check', async () => {
    const engine = new OidcEngine(world.booted.ctx, {
      fetch: tokenTamper((t) => {
        const [h, p, sig] = t.split('.');
        const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
        claims.email = 'bob@acme.test';
        return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
      }),
    });
    extraEngines.push(engine);
    const start = await engine.flows.start('ann@acme.test');
    const page = await fetch(await callbackFor(start.authorizationUrl, 'ann@acme.test'));
    expect(page.status).toBe(400);
    const s = engine.flows.status(start.flowId);
    expect(s).toMatchObject({ state: 'failed', error: { code: 'bad_signature' } });
    expect(s.steps.find((x) => x.outcome === 'fail')?.step).toBe('signature');
    expect(s.session).toBeNull();
  });

  it('a validly signed ID token for another audience fails the aud check', async () => {
    const state = JSON.parse(readFileSync(join(world.dataDir, IDP_STATE_FILE), 'utf8')) as { keys: JWK[] };
    const jwk = state.keys[0]!;
    const key = await importJWK(jwk, 'RS256');
    const engine = new OidcEngine(world.booted.ctx, {
      fetch: tokenTamper(async (t) => {
        const claims = decodeJwt(t);
        return new SignJWT({ ...claims, aud: 'someone-else' })
          .setProtectedHeader({ ...decodeProtectedHeader(t), alg: 'RS256', kid: jwk.kid! })
          .sign(key);
      }),
    });
    extraEngines.push(engine);
    const start = await engine.flows.start('ann@acme.test');
    await fetch(await callbackFor(start.authorizationUrl, 'ann@acme.test'));
    const s = engine.flows.status(start.flowId);
    expect(s).toMatchObject({ state: 'failed', error: { code: 'audience_mismatch' } });
    expect(s.error?.message).toContain('sso-desk-demo');
    expect(s.steps.find((x) => x.outcome === 'fail')?.step).toBe('aud');
  });

  it('an expired ID token fails the exp check (clock moved past exp)', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const cb = await callbackFor(start.authorizationUrl, 'ann@acme.test');
    world.clock.offsetMs = 2 * 60 * 60 * 1000;
    await fetch(cb);
    const s = engine.flows.status(start.flowId);
    expect(s).toMatchObject({ state: 'failed', error: { code: 'token_expired' } });
    expect(s.error?.message).toMatch(/ID token expired at .*; SSO Desk’s clock says/);
  });
});

describe('who the IdP asserts', () => {
  it('an unknown email is refused on the IdP login page; the flow keeps waiting and can be cancelled', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'nobody@acme.test', world.password);
    expect(r).toEqual({ loginError: 'Unknown email or wrong password.' });
    const wrongPassword = await new CodeBrowser().signInAtIdp(
      start.authorizationUrl,
      'ann@acme.test',
      'not-the-password',
    );
    expect(wrongPassword).toEqual({ loginError: 'Unknown email or wrong password.' });
    expect(engine.flows.status(start.flowId).state).toBe('waiting');
    const cancelled = await engine.flows.cancel(start.flowId);
    expect(cancelled.error?.code).toBe('cancelled');
    expect(engine.flows.listenerOpen(start.flowId)).toBe(false);
  });

  it('a user the IdP says is not verified is refused', async () => {
    const { db } = world.booted.ctx.store;
    const id = insertUser(
      db,
      {
        email: 'vera@acme.test',
        name: 'Vera Unverified',
        externalId: null,
        passwordHash: await hashPassword(world.password),
        emailVerified: false,
      },
      Date.now(),
    );
    insertMembership(db, 'acme', id, 'member');
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('vera@acme.test');
    const page = await fetch(await callbackFor(start.authorizationUrl, 'vera@acme.test'));
    expect(await page.text()).toContain('not verified');
    expect(engine.flows.status(start.flowId)).toMatchObject({
      state: 'failed',
      error: {
        code: 'email_not_verified',
        message: 'vera@acme.test is not verified at the IdP (email_verified is false)',
      },
    });
  });

  it('the IdP-asserted email wins over the typed one: bob at the IdP gets bob’s session', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    await fetch(await callbackFor(start.authorizationUrl, 'bob@acme.test'));
    expect(engine.flows.status(start.flowId).session?.email).toBe('bob@acme.test');
  });
});

describe('IdP down, timeouts, start refusals', () => {
  it('IdP down: start fails with the reason in words, and no listener is left open', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const closedPort = await (async () => {
      const { createServer } = await import('node:net');
      const s = createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
      const port = (s.address() as { port: number }).port;
      await new Promise<void>((r) => s.close(() => r()));
      return port;
    })();
    engine.save({
      account: 'acme',
      enabled: true,
      preset: 'generic',
      presetParams: {},
      issuer: `http://127.0.0.1:${closedPort}`,
      clientId: 'sso-desk-demo',
      clearClientSecret: false,
      scopes: ['openid'],
      redirectHost: '127.0.0.1',
      actor: 'ann@acme.test',
    });
    await expect(engine.flows.start('ann@acme.test')).rejects.toMatchObject({
      code: 'idp_unreachable',
      message: expect.stringMatching(/refused the connection/),
    });
    const audit = queryAudit(world.booted.ctx.store.db, {}, { limit: 5 });
    expect(audit[0]).toMatchObject({ kind: 'sso.signin', outcome: 'failed' });
  });

  it('times out: "timed out", listener closed', async () => {
    const engine = new OidcEngine(world.booted.ctx, { flowTimeoutMs: 300 });
    extraEngines.push(engine);
    const start = await engine.flows.start('ann@acme.test');
    const redirect = new URL(start.authorizationUrl).searchParams.get('redirect_uri')!;
    expect(engine.flows.listenerOpen(start.flowId)).toBe(true);
    await waitFor(() => engine.flows.status(start.flowId).state === 'failed', 3000);
    const s = engine.flows.status(start.flowId);
    expect(s.error).toMatchObject({ code: 'timed_out', message: expect.stringMatching(/^timed out/) });
    expect(engine.flows.listenerOpen(start.flowId)).toBe(false);
    await expect(fetch(redirect)).rejects.toThrow();
  });

  it('refuses emails that cannot use SSO, saying why', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    await expect(engine.flows.start('erin@globex.test')).rejects.toMatchObject({
      code: 'sso_not_enabled',
      message: expect.stringContaining('Globex Inc'),
    });
    await expect(engine.flows.start('nobody@nowhere.test')).rejects.toMatchObject({ code: 'not_registered' });
  });
});
