import { createServer, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, type World } from './helpers';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { decidePassword } from '../../src/main/engine/policy';
import { getOidc } from '../../src/main/store/sso-config';
import { IDP_STATE_FILE } from '../../src/main/idp/keys';
import type { TestReport } from '../../src/shared/contract/oidc';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

// Assertions read the envelope's value loosely.
const call = (name: string, input: unknown) =>
  world.booted.dispatch(name, input) as Promise<
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    { ok: true; value: any } | { ok: false; error: { code: string; message: string; field?: string } }
  >;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures pass partial drafts; the engine's defaults fill in
const raw = async (d: any) => ({
  ok: true as const,
  value: oidcEngineFor(world.booted.ctx).save({
    preset: 'generic',
    presetParams: {},
    clearClientSecret: false,
    redirectHost: '127.0.0.1',
    ...d,
  }),
});
const draft = (over: Record<string, unknown> = {}) => ({
  account: 'acme',
  enabled: true,
  issuer: world.booted.urls.idp,
  clientId: 'sso-desk-demo',
  scopes: ['openid', 'email', 'profile'],
  actor: 'admin@acme.test',
  ...over,
});

describe('Settings > Security > SSO (sso.oidc.*)', () => {
  it('shows the demo config with the secret only as set/not set, and the redirect to register', async () => {
    const r = await call('sso.oidc.get', { account: 'acme' });
    expect(r).toMatchObject({
      ok: true,
      value: {
        enabled: true,
        issuer: world.booted.urls.idp,
        clientId: 'sso-desk-demo',
        clientSecretSet: false,
        redirectUri: 'http://127.0.0.1/callback',
        canEnable: { allowed: true },
      },
    });
    const g = await call('sso.oidc.get', { account: 'globex' });
    expect(g).toMatchObject({
      ok: true,
      value: {
        enabled: false,
        canEnable: { allowed: false, reason: 'SSO needs the Enterprise plan; Globex Inc is on the Pro plan' },
        canUsePresets: { allowed: false },
      },
    });
  });

  it('names each bad field and saves nothing', async () => {
    const before = getOidc(world.booted.ctx.store.db, 'acme');
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ issuer: 'not a url' }, 'issuer', /not a URL/],
      [{ issuer: 'http://idp.example.com' }, 'issuer', /http is allowed only on loopback/],
      [{ clientId: '  ' }, 'clientId', /required/],
      [{ scopes: ['email', 'profile'] }, 'scopes', /must include "openid"/],
    ];
    for (const [over, field, message] of cases) {
      const r = await call('sso.oidc.save', draft(over));
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.field).toBe(field);
        expect(r.error.message).toMatch(message);
        expect(r.error.message).toContain('Nothing was saved');
      }
    }
    const all = await call('sso.oidc.save', draft({ issuer: 'ftp://x', clientId: '', scopes: ['email'] }));
    expect(!all.ok && all.error.message).toMatch(/3 fields need attention — issuer: .*; clientId: .*; scopes: /);
    expect(getOidc(world.booted.ctx.store.db, 'acme')).toEqual(before);
  });

  it('refuses switching SSO on for a Pro account, and presets without the Enterprise toolkit', async () => {
    const r = await call('sso.oidc.save', draft({ account: 'globex' }));
    expect(r).toMatchObject({
      ok: false,
      error: {
        field: 'enabled',
        message: expect.stringContaining('SSO needs the Enterprise plan; Globex Inc is on the Pro plan'),
      },
    });
    const p = await call(
      'sso.oidc.save',
      draft({ account: 'globex', enabled: false, preset: 'okta', presetParams: { domain: 'dev-1.okta.com' } }),
    );
    expect(p).toMatchObject({
      ok: false,
      error: { field: 'preset', message: expect.stringContaining('Enterprise toolkit') },
    });
    expect(getOidc(world.booted.ctx.store.db, 'globex')).toBeUndefined();
  });

  it('builds the issuer from a preset, encrypts the secret, records who switched SSO on', async () => {
    await call('sso.oidc.save', draft({ enabled: false }));
    // Switching on without evidence is the guarded channel's business (safe-enforcement.test.ts); here the engine's save.
    const r = await raw(
      draft({
        preset: 'entra',
        presetParams: { tenant: 'contoso.onmicrosoft.com' },
        clientSecret: 'super-secret-value-42',
        actor: 'bob@acme.test',
      }),
    );
    expect(r).toMatchObject({
      ok: true,
      value: {
        issuer: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
        clientSecretSet: true,
        enabledBy: 'bob@acme.test',
      },
    });
    expect(JSON.stringify(r)).not.toContain('super-secret-value-42');
    const row = getOidc(world.booted.ctx.store.db, 'acme')!;
    expect(row.clientSecretEnc).toMatch(/^v1:/);
    expect(readFileSync(join(world.dataDir, 'sso-desk.sqlite')).includes('super-secret-value-42')).toBe(false);
    const badPreset = await call(
      'sso.oidc.save',
      draft({ preset: 'ping', presetParams: { region: 'mars', environmentId: 'x' } }),
    );
    expect(badPreset).toMatchObject({ ok: false, error: { field: 'presetParams.region' } });
    // SSO is on now: an edit through the console's channel would need a Test connection (live-edit.test.ts).
    const cleared = await raw(draft({ clearClientSecret: true }));
    expect(cleared).toMatchObject({ ok: true, value: { clientSecretSet: false, enabledBy: 'bob@acme.test' } });

    // The audit log says who changed what, old and new value, and the secret only as set / not set.
    const saves = world.booted.ctx.store.db
      .prepare("SELECT actor, reason, detail FROM audit_events WHERE kind = 'sso.oidc.save' ORDER BY id")
      .all() as Array<{ actor: string; reason: string; detail: string }>;
    const entra = saves.find((e) => e.actor === 'bob@acme.test' && e.reason.startsWith('SSO switched on'))!;
    const changes = JSON.parse(entra.detail).changes as Array<{ field: string; old: unknown; new: unknown }>;
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: 'oidc.enabled', old: false, new: true },
        { field: 'oidc.preset', old: 'generic', new: 'entra' },
        expect.objectContaining({
          field: 'oidc.issuer',
          new: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
        }),
        { field: 'oidc.clientSecret', old: 'not set', new: 'set (changed)' },
      ]),
    );
    // The reason reads as the changes: old → new per field, the secret only as "changed".
    expect(entra.reason).toMatch(/^SSO switched on: enabled: false → true; preset: generic → entra; /);
    expect(entra.reason).toContain('→ https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0;');
    expect(entra.reason).toContain('; clientSecret changed');
    const last = JSON.parse(saves[saves.length - 1]!.detail).changes;
    expect(last).toContainEqual({ field: 'oidc.clientSecret', old: 'set', new: 'not set (changed)' });
    expect(JSON.stringify(saves)).not.toContain('super-secret-value-42');
  });

  it('rejects malformed input at the edge', async () => {
    expect(await call('sso.oidc.save', { account: 'acme' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call('sso.oidc.get', { account: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('sso.signin.status', { flowId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'flowId' },
    });
  });
});

describe('Test connection (sso.oidc.test)', () => {
  const test = (issuer: string, timeoutMs = 3000, clientId = 'x') =>
    call('sso.oidc.test', { account: 'acme', issuer, clientId, clientSecret: 'never-echoed-secret', timeoutMs });

  it('passes on the embedded IdP, warns nothing, echoes no secret, changes nothing', async () => {
    const before = getOidc(world.booted.ctx.store.db, 'acme');
    const r = await test(world.booted.urls.idp!, 3000, 'sso-desk-demo');
    const v = r.ok ? (r.value as TestReport) : null;
    expect(v?.ok).toBe(true);
    expect(v?.findings.map((f) => `${f.check}:${f.level}`)).toEqual([
      'discovery:ok',
      'issuer:ok',
      'authorization_code:ok',
      'pkce:ok',
      'signing_key:ok',
      'end_session:ok',
      'client:ok',
    ]);
    expect(JSON.stringify(r)).not.toContain('never-echoed-secret');
    expect(getOidc(world.booted.ctx.store.db, 'acme')).toEqual(before);
  });

  describe('against a misbehaving IdP', () => {
    let server: Server;
    let base: string;
    let meta: Record<string, unknown>;
    let discoveryBody: string | null;
    let jwks: unknown;
    let hang = false;
    beforeEach(async () => {
      discoveryBody = null;
      hang = false;
      server = createServer((req, res) => {
        if (hang) return;
        if (req.url?.endsWith('/.well-known/openid-configuration')) {
          res.writeHead(200, { 'content-type': discoveryBody ? 'text/html' : 'application/json' });
          return res.end(discoveryBody ?? JSON.stringify(meta));
        }
        if (req.url === '/jwks') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify(jwks));
        }
        res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      meta = {
        issuer: base,
        authorization_endpoint: `${base}/auth`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        response_types_supported: ['id_token'],
        grant_types_supported: ['implicit'],
        code_challenge_methods_supported: ['plain'],
        id_token_signing_alg_values_supported: ['HS256'],
      };
      jwks = { keys: [{ kty: 'oct', k: 'abc' }] };
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    });

    it('reports each problem in words', async () => {
      const r = await test(base);
      const v = r.ok ? (r.value as TestReport) : null;
      const byCheck = Object.fromEntries((v?.findings ?? []).map((f) => [f.check, f]));
      expect(v?.ok).toBe(false);
      expect(byCheck.authorization_code).toMatchObject({
        level: 'error',
        message: expect.stringMatching(/^no authorization_code flow/),
      });
      expect(byCheck.pkce).toMatchObject({ level: 'error', message: 'no PKCE S256: the IdP supports only plain' });
      expect(byCheck.signing_key).toMatchObject({
        level: 'error',
        message: expect.stringMatching(/^no usable signing algorithm/),
      });
      expect(byCheck.end_session).toMatchObject({
        level: 'warning',
        message: expect.stringMatching(/^no end_session_endpoint/),
      });
    });

    it('issuer mismatch', async () => {
      meta.issuer = `${base}/`;
      const r = await test(base);
      expect(r.ok && r.value.findings.find((f: { check: string }) => f.check === 'issuer')?.message).toMatch(
        /issuer mismatch.*trailing slash/,
      );
    });

    it('no usable key for the advertised algorithm', async () => {
      meta.id_token_signing_alg_values_supported = ['RS256'];
      jwks = {
        keys: [
          { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', use: 'sig' },
          { kty: 'RSA', n: 'x', e: 'AQAB', use: 'enc' },
        ],
      };
      const r = await test(base);
      expect(r.ok && r.value.findings.find((f: { check: string }) => f.check === 'signing_key')?.message).toMatch(
        /^no usable signing key: the JWKS holds EC \(sig\), RSA \(enc\)/,
      );
    });

    it('not JSON', async () => {
      discoveryBody = '<html>login portal</html>';
      const r = await test(base);
      expect(r.ok && r.value.findings[0]).toMatchObject({
        check: 'discovery',
        level: 'error',
        message: expect.stringMatching(/^not JSON: .*text\/html/),
      });
    });

    it('unreachable within a bounded wait', async () => {
      hang = true;
      const t0 = Date.now();
      const r = await test(base, 400);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(r.ok && r.value.findings[0]?.message).toMatch(
        /^this computer cannot reach the IdP \(DNS, proxy, TLS\) directly: .*did not answer within 0.4 s/,
      );
      expect(r.ok && r.value.verdict).toBe('unreachable');
    });

    it('a non-URL or non-loopback http issuer is refused before any request', async () => {
      const r = await test('http://idp.example.com');
      expect(r.ok && r.value.findings).toEqual([
        { check: 'issuer_url', level: 'error', message: expect.stringContaining('http is allowed only on loopback') },
      ]);
    });
  });
});

describe('enforcement (policy decide)', () => {
  it('refuses password login and reset where SSO is on, only there, and explains it', async () => {
    const { db } = world.booted.ctx.store;
    await call('sso.oidc.save', draft({ enabled: false }));
    const { enabled: _e, actor: _a, ...tested } = draft();
    expect(await call('sso.oidc.test', tested)).toMatchObject({ ok: true, value: { ok: true } });
    const today = () => new Date().toISOString().slice(0, 10);
    const dayAtStart = today();
    expect(await call('sso.oidc.save', draft({ actor: 'admin@acme.test', confirmLockout: 4 }))).toMatchObject({
      ok: true,
    });
    const ann = decidePassword(db, 'ann@acme.test', 'acme');
    expect(ann).toMatchObject({ allowed: false, code: 'sso_enforced' });
    // The day of the save, in UTC: the one before or after it when the save straddles midnight.
    expect(
      [dayAtStart, today()].map(
        (day) =>
          `ann@acme.test: password refused for Acme Corp — SSO enforced since ${day} by admin@acme.test; use "Sign in with SSO"`,
      ),
    ).toContain(ann.reason);
    expect(decidePassword(db, 'ann@acme.test', 'acme', 'reset').reason).toMatch(
      /^ann@acme.test: password reset refused for Acme Corp — SSO enforced/,
    );
    // Dana is in both: SSO on Acme does not take her Globex password away.
    expect(decidePassword(db, 'dana@example.test', 'acme')).toMatchObject({ allowed: false, code: 'sso_enforced' });
    expect(decidePassword(db, 'Dana@Example.test', 'globex')).toMatchObject({ allowed: true });
    const policy = await call('sso.policy', { email: 'dana@example.test' });
    expect(
      policy.ok &&
        policy.value.accounts.map((a: { account: string; ssoEnabled: boolean }) => [a.account, a.ssoEnabled]),
    ).toEqual([
      ['acme', true],
      ['globex', false],
    ]);
    // Turning SSO off restores the password.
    await call('sso.oidc.save', draft({ enabled: false }));
    expect(decidePassword(db, 'ann@acme.test', 'acme')).toMatchObject({ allowed: true, method: 'password' });
    expect(decidePassword(db, 'nobody@acme.test', 'acme')).toMatchObject({ allowed: false, code: 'not_registered' });
  });
});

describe('logout', () => {
  it('ends the session locally and builds RP-initiated logout at the IdP', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('ann@acme.test');
    const browser = new CodeBrowser();
    const r = await browser.signInAtIdp(start.authorizationUrl, 'ann@acme.test', world.password);
    await fetch((r as { callback: string }).callback);
    const session = engine.flows.status(start.flowId).session!;
    world.opened.length = 0;
    const out = await call('sso.logout', { sessionId: session.id });
    expect(out).toMatchObject({ ok: true, value: { ended: true, openedBy: 'console' } });
    const url = new URL((out as { value: { endSessionUrl: string } }).value.endSessionUrl);
    expect(url.origin + url.pathname).toBe(`${world.booted.urls.idp}/session/end`);
    expect(url.searchParams.get('id_token_hint')).toBeTruthy();
    expect(world.opened).toEqual([url.href]);
    // The same browser still has its IdP session: the IdP asks whether to end it.
    const idpPage = await browser.request(url.href);
    expect(await idpPage.text()).toContain('Sign out of the SSO Desk demo IdP?');
    expect(await call('sso.logout', { sessionId: session.id })).toMatchObject({
      ok: true,
      value: { ended: false, endSessionUrl: null },
    });
    expect(await call('sso.logout', { sessionId: 'x'.repeat(43) })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});

describe('the embedded IdP', () => {
  it('keeps its signing keys (0600) and its issuer across restarts', async () => {
    const file = join(world.dataDir, IDP_STATE_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const firstKeys = readFileSync(file, 'utf8');
    const jwks1 = await (await fetch(`${world.booted.urls.idp}/jwks`)).json();
    const issuer = world.booted.urls.idp;
    const dataDir = world.dataDir;
    await world.booted.close();
    const again = await startWorld({ dataDir });
    try {
      expect(again.booted.urls.idp).toBe(issuer);
      expect(await (await fetch(`${again.booted.urls.idp}/jwks`)).json()).toEqual(jwks1);
      expect(JSON.parse(readFileSync(file, 'utf8')).keys).toEqual(JSON.parse(firstKeys).keys);
      const keys = (jwks1 as { keys: Array<Record<string, unknown>> }).keys;
      expect(keys.every((k) => k.d === undefined)).toBe(true);
    } finally {
      await again.close();
    }
    world = await startWorld();
  });
});
