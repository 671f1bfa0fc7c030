import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, waitFor, type World } from '../oidc/helpers';
import { startVendorIdp, type VendorIdp } from '../oidc/vendor-idps';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { listDemoCredentials } from '../../src/main/store/demo-credentials';
import type { SigninRow } from '../../src/shared/contract/signin-log';
import type { SimRunView } from '../../src/shared/contract/simulator';
import type { TraceStep } from '../../src/shared/trace';

/**
 * Sign-in logs through the real paths: `POST /auth/login` (password and pass-through), OIDC against an
 * Entra-like IdP, a Platform SSO deep link, and a Simulator run; read back through the channels.
 */
let world: World;
let entra: VendorIdp;
beforeAll(async () => {
  entra = await startVendorIdp('entra', {
    clients: [
      {
        client_id: 'entra-conf',
        client_secret: 'entra~Secret.Value_0123456789',
        token_endpoint_auth_method: 'client_secret_basic',
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    users: [{ sub: 'ann-object-id', claims: { preferred_username: 'ann@acme.test', upn: 'ann@acme.test' } }],
  });
});
afterAll(async () => {
  await entra.close();
});
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await oidcEngineFor(world.booted.ctx).close();
  await world.close();
});

async function call<T>(name: string, input?: unknown): Promise<T> {
  const r = (await world.booted.dispatch(name, input)) as
    { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}
const list = async (filter: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  call<{ rows: SigninRow[]; nextBefore: number | null }>('signins.list', { filter, ...extra });

const login = (email: string, password: string, account?: string) =>
  fetch(`${world.booted.urls.api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, ...(account ? { account } : {}) }),
  });

describe('sign-in logs', () => {
  it('one row per attempt on each path, in words, newest first', async () => {
    const passthroughHost = new URL(world.booted.urls.passthrough!).host;
    expect((await login('erin@globex.test', world.password, 'globex')).status).toBe(200);
    expect((await login('frank@globex.test', 'not-the-password', 'globex')).status).toBe(401);
    expect((await login('ann@acme.test', world.password, 'acme')).status).toBe(409);
    expect((await login('nobody@acme.test', 'whatever')).status).toBe(401);

    const { rows } = await list();
    expect(rows).toHaveLength(4);
    const [nobody, ssoRequired, wrong, ok] = rows;
    expect(ok).toMatchObject({
      email: 'erin@globex.test',
      accountId: 'globex',
      accountName: 'Globex Inc',
      method: 'passthrough',
      methodLabel: 'External authentication',
      idp: passthroughHost,
      result: 'success',
      errorCode: null,
      simulator: false,
      correlationId: `SD-${ok!.id}`,
    });
    expect(wrong).toMatchObject({ email: 'frank@globex.test', result: 'failure', idp: passthroughHost });
    expect(wrong!.errorCode).toEqual(expect.any(String));
    expect(wrong!.reason).toMatch(/^Login failed: /);
    expect(ssoRequired).toMatchObject({
      email: 'ann@acme.test',
      accountName: 'Acme Corp',
      method: 'sso',
      result: 'failure',
      errorCode: 'sso_required',
    });
    expect(nobody).toMatchObject({
      email: 'nobody@acme.test',
      result: 'failure',
      errorCode: 'not_registered',
      reason: 'nobody@acme.test is not registered.',
      methodLabel: 'Not decided',
    });
    expect(JSON.stringify(rows)).not.toContain(world.password);
    // Other audit events (settings, token issuance) are not sign-ins.
    await call('audit.retention.set', { days: 30 });
    expect((await list()).rows).toHaveLength(4);
  });

  it("OIDC: the IdP's error code and its trace ID, the issuer as IdP; a success names the account", async () => {
    const save = (extra: Record<string, unknown>) =>
      oidcEngineFor(world.booted.ctx).save({
        account: 'acme',
        enabled: true,
        preset: 'generic',
        presetParams: {},
        issuer: entra.issuer,
        clientId: 'entra-conf',
        clearClientSecret: false,
        scopes: ['openid', 'email', 'profile'],
        redirectHost: '127.0.0.1',
        userClaim: 'upn',
        actor: 'admin@acme.test',
        ...extra,
      });
    const signIn = async () => {
      const engine = oidcEngineFor(world.booted.ctx);
      const start = await engine.flows.start('ann@acme.test');
      const r = await new CodeBrowser().signInAtIdp(start.authorizationUrl, 'ann-object-id', 'any');
      await fetch((r as { callback: string }).callback);
      return engine.flows.status(start.flowId);
    };
    save({ clientSecret: 'the-secret-ID-not-its-value' });
    expect((await signIn()).error?.code).toBe('token_refused');
    save({ clientSecret: 'entra~Secret.Value_0123456789' });
    expect((await signIn()).state).toBe('signed_in');

    const { rows } = await list({ method: 'sso' });
    expect(rows.map((r) => r.result)).toEqual(['success', 'failure']);
    expect(rows[0]).toMatchObject({ methodLabel: 'SSO (OpenID Connect)', idp: entra.issuer, accountName: 'Acme Corp' });
    expect(rows[1]).toMatchObject({
      errorCode: 'AADSTS7000215',
      correlationId: '0f6b0a4e-1111-4c2d-9e8f-aaaaaaaaaaaa',
      reason: expect.stringContaining('the client secret is wrong'),
    });
    const detail = await call<SigninRow & { steps: TraceStep[]; rerun: unknown }>('signins.get', { id: rows[1]!.id });
    expect(detail.steps.map((s) => s.step)).toContain('token exchange');
    expect(detail.rerun).toEqual({ email: 'ann@acme.test', account: 'acme', method: 'sso', device: {} });
    expect(JSON.stringify(detail)).not.toContain('the-secret-ID-not-its-value');
  });

  it('a Platform SSO deep link: opened and refused, each a row', async () => {
    const db = world.booted.ctx.store.db;
    const secret = (kind: string, bot?: string) =>
      world.booted.ctx.platform.secrets.decrypt(
        listDemoCredentials(db).find((c) => c.kind === kind && c.accountId === 'acme' && (!bot || c.botId === bot))!
          .valueEnc,
      );
    const issued = await fetch(`${world.booted.urls.api}/authorization/sso`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        AccountAPIKey: secret('AccountAPIKey'),
        BotAPIKey: secret('BotAPIKey', 'helpdesk'),
        BotAPISecret: secret('BotAPISecret', 'helpdesk'),
        Email: 'ann@acme.test',
      }),
    });
    const { Home } = (await issued.json()) as { Home: string };
    expect((await fetch(Home, { redirect: 'manual' })).status).toBe(200);
    expect((await fetch(`${Home}x`, { redirect: 'manual' })).status).toBe(401);

    const { rows } = await list({ method: 'platform-sso' });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ result: 'failure', errorCode: 'unknown', methodLabel: 'Platform SSO link' });
    expect(rows[1]).toMatchObject({ result: 'success', email: 'ann@acme.test', idp: 'Platform API' });
    // Issuing the token is not a sign-in; the token never shows.
    expect(JSON.stringify(rows)).not.toContain(Home.split('/').pop()!);
  });

  it('Simulator runs are marked, and filters combine: user, account, method, result, time, Simulator', async () => {
    const started = await call<SimRunView>('simulate.run.start', {
      email: 'frank@globex.test',
      password: 'wrong-password-for-frank',
      method: 'auto',
      device: { os: 'Linux', name: 'Frank’s laptop', ip: '10.1.2.3' },
    });
    await waitFor(
      async () => (await call<SimRunView>('simulate.run.status', { runId: started.runId })).state === 'done',
    );
    world.clock.offsetMs = 60_000;
    expect((await login('ann@acme.test', world.password, 'acme')).status).toBe(409);
    expect((await login('erin@globex.test', world.password, 'globex')).status).toBe(200);

    const all = (await list()).rows;
    expect(all.map((r) => r.email)).toEqual(['erin@globex.test', 'ann@acme.test', 'frank@globex.test']);
    const sim = all[2]!;
    expect(sim).toMatchObject({
      email: 'frank@globex.test',
      accountName: 'Globex Inc',
      method: 'passthrough',
      methodLabel: 'External authentication',
      idp: new URL(world.booted.urls.passthrough!).host,
      result: 'failure',
      simulator: true,
      runId: started.runId,
    });
    expect(all[0]!.simulator).toBe(false);
    const detail = await call<{ rerun: unknown }>('signins.get', { id: sim.id });
    expect(detail.rerun).toEqual({
      email: 'frank@globex.test',
      account: 'globex',
      method: 'password',
      device: { os: 'Linux', name: 'Frank’s laptop', ip: '10.1.2.3' },
    });

    const emails = async (f: Record<string, unknown>) => (await list(f)).rows.map((r) => r.email);
    expect(await emails({ email: 'FRANK@globex.test' })).toEqual(['frank@globex.test']);
    expect(await emails({ accountId: 'acme' })).toEqual(['ann@acme.test']);
    expect(await emails({ method: 'sso' })).toEqual(['ann@acme.test']);
    expect(await emails({ method: 'passthrough' })).toEqual(['erin@globex.test', 'frank@globex.test']);
    expect(await emails({ result: 'success' })).toEqual(['erin@globex.test']);
    expect(await emails({ result: 'failure', accountId: 'globex' })).toEqual(['frank@globex.test']);
    expect(await emails({ simulator: false })).toEqual(['erin@globex.test', 'ann@acme.test']);
    expect(await emails({ simulator: true })).toEqual(['frank@globex.test']);
    expect(await emails({ from: sim.at + 1 })).toEqual(['erin@globex.test', 'ann@acme.test']);
    expect(await emails({ to: sim.at + 1 })).toEqual(['frank@globex.test']);
    expect(await emails({ email: 'erin@globex.test', result: 'failure' })).toEqual([]);

    // Keyset pages: one row a page, then the next.
    const first = await list({}, { limit: 1 });
    expect(first.rows.map((r) => r.email)).toEqual(['erin@globex.test']);
    const second = await list({}, { limit: 1, before: first.nextBefore });
    expect(second.rows.map((r) => r.email)).toEqual(['ann@acme.test']);

    const facets = await call<{ methods: unknown; accounts: unknown }>('signins.facets');
    expect(facets).toEqual({
      methods: [
        { id: 'passthrough', label: 'External authentication' },
        { id: 'sso', label: 'SSO (OpenID Connect)' },
      ],
      accounts: [
        { id: 'acme', name: 'Acme Corp' },
        { id: 'globex', name: 'Globex Inc' },
      ],
    });
  });

  it('bad input is a typed error, not a crash; an audit event that is no sign-in is not found', async () => {
    const bad = (await world.booted.dispatch('signins.list', { filter: { result: 'maybe' } })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await call('audit.retention.set', { days: 30 });
    const settings = (await call<{ events: Array<{ id: number }> }>('audit.list', {})).events[0]!;
    const r = (await world.booted.dispatch('signins.get', { id: settings.id })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
