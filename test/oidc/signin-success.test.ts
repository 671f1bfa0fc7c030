import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CodeBrowser, startWorld, type World } from './helpers';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

describe('Sign in with SSO against the embedded IdP', () => {
  it('signs ann in to Acme, closes the listener and keeps a redacted trace', async () => {
    const engine = oidcEngineFor(world.booted.ctx);
    const start = await engine.flows.start('Ann@Acme.test');
    expect(start.accounts).toEqual([{ id: 'acme', name: 'Acme Corp' }]);
    expect(start.openedBy).toBe('console');
    expect(world.opened).toEqual([start.authorizationUrl]);
    const authz = new URL(start.authorizationUrl);
    expect(authz.origin).toBe(world.booted.urls.idp);
    expect(authz.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authz.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const browser = new CodeBrowser();
    const r = await browser.signInAtIdp(start.authorizationUrl, 'ann@acme.test', world.password);
    expect('callback' in r).toBe(true);
    const callback = (r as { callback: string }).callback;
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Return to SSO Desk');

    const status = engine.flows.status(start.flowId);
    expect(status.state).toBe('signed_in');
    expect(status.session).toMatchObject({ email: 'ann@acme.test', account: 'acme', accountName: 'Acme Corp' });
    // The checks, each its own step...
    expect(status.steps.filter((s) => !s.http).map((s) => s.step)).toEqual([
      'policy',
      'discovery',
      'listener',
      'authorize',
      'callback',
      'state',
      'token exchange',
      'signature',
      'iss',
      'aud',
      'exp',
      'nonce',
      'email',
      'session',
    ]);
    // ...and every exchange with the IdP, recorded where it happened.
    expect(status.steps.map((s) => s.step)).toEqual([
      'policy',
      'discovery document',
      'discovery',
      'listener',
      'authorize',
      'callback',
      'state',
      'token endpoint',
      'JWKS',
      'token exchange',
      'signature',
      'iss',
      'aud',
      'exp',
      'nonce',
      'email',
      'session',
    ]);
    const token = status.steps.find((s) => s.step === 'token endpoint')!.http!;
    expect(token.request.method).toBe('POST');
    expect(token.response?.status).toBe(200);
    expect(token.request.body).toContain('code=••••');
    expect(token.request.body).toContain('code_verifier=••••');
    expect(status.steps.every((s) => s.outcome !== 'fail')).toBe(true);
    const text = JSON.stringify(status.steps);
    const code = new URL(callback).searchParams.get('code')!;
    const state = new URL(callback).searchParams.get('state')!;
    expect(text).not.toContain(code);
    expect(text).not.toContain(state);
    expect(text).toContain('••••');
    expect(engine.flows.listenerOpen(start.flowId)).toBe(false);
    await expect(fetch(callback)).rejects.toThrow();
  });
});
