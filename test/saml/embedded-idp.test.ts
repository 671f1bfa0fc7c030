import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, waitFor, type World } from '../oidc/helpers';
import type { SimRunView } from '../../src/shared/contract/simulator';
import { samlEngineFor } from '../../src/main/engine/saml/engine';
import { samlFingerprint, type ResolvedSaml } from '../../src/main/engine/saml/config';
import { oidcEngineFor } from '../../src/main/engine/oidc/engine';
import { ssoFlowsFor } from '../../src/main/engine/sso-flows';
import { freePort } from './helpers';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

/** The browser's part: the demo IdP's login form, then the auto-submitting HTTP-POST form to the ACS. */
async function signInAtSamlIdp(authorizationUrl: string, email: string, password: string) {
  const login = await fetch(authorizationUrl);
  expect(login.status).toBe(200);
  return loginAtSamlIdp(await login.text(), authorizationUrl, email, password);
}

/** From the demo IdP's login page: the credentials, then the auto-submitting HTTP-POST form to the ACS. */
async function loginAtSamlIdp(page: string, idpUrl: string, email: string, password: string) {
  expect(page).toContain('SSO Desk demo SAML IdP · signing in to urn:sso-desk:sp:acme');
  const hidden = Object.fromEntries(
    [...page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, decode(m[2]!)]),
  );
  const posted = await fetch(new URL('/saml/sso', idpUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, email, password }),
  });
  expect(posted.status).toBe(200);
  const form = await posted.text();
  const action = decode(/<form id="saml" method="post" action="([^"]+)">/.exec(form)![1]!);
  const fields = Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, decode(m[2]!)]),
  );
  const acs = await fetch(action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { status: acs.status, text: await acs.text() };
}
const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

describe('the offline demo signs in through its embedded SAML IdP', () => {
  it('seeds Acme with SAML settings pointing at the embedded SAML IdP (off: OIDC is Acme’s SSO)', () => {
    const v = samlEngineFor(world.booted.ctx).get('acme');
    expect(v.configured).toBe(true);
    expect(v.enabled).toBe(false);
    expect(v.idp.entityId).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/saml\/metadata$/);
    expect(v.idp.certificates[0]!.status).toBe('ok');
  });

  it('Test sign-in through the saved SAML settings works with no network and opens no session', async () => {
    const ctx = world.booted.ctx;
    await samlEngineFor(ctx).save({
      account: 'acme',
      enabled: false,
      preset: 'generic',
      actor: 'test',
      acsPort: await freePort(),
    });
    const report = await samlEngineFor(ctx).test({ account: 'acme', preset: 'generic', timeoutMs: 3000 });
    expect(report.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(report.ok).toBe(true);
    const start = await ssoFlowsFor(ctx).start('ann@acme.test', 'acme', { test: true, protocol: 'saml' });
    const r = await signInAtSamlIdp(start.authorizationUrl, 'ann@acme.test', world.password);
    expect(r.status).toBe(200);
    expect(r.text).toContain('Test sign-in worked');
    const status = ssoFlowsFor(ctx).status(start.flowId);
    expect(status.state).toBe('signed_in');
    expect(status.session).toBeNull();
    // The flow names whom the IdP asserted, as an OIDC flow does (the Test sign-in card shows it).
    expect(status.assertedEmail).toBe('ann@acme.test');
    expect(samlEngineFor(ctx).get('acme').enforcement.lastSignin).toMatchObject({
      email: 'ann@acme.test',
      withinWindow: true,
    });
  });

  it('with OIDC off and SAML on, "Sign in with SSO" is a SAML sign-in with its timeline', async () => {
    const ctx = world.booted.ctx;
    const oidc = oidcEngineFor(ctx).get('acme');
    oidcEngineFor(ctx).save({
      account: 'acme',
      enabled: false,
      preset: 'generic',
      presetParams: {},
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clearClientSecret: false,
      scopes: oidc.scopes,
      redirectHost: '127.0.0.1',
      actor: 'test',
    });
    // The switch-on guard: the passing test and the test sign-in above were of exactly these settings.
    const on = await samlEngineFor(ctx).saveChecked({
      account: 'acme',
      enabled: true,
      preset: 'generic',
      actor: 'test',
    });
    expect(on.enabled).toBe(true);
    const start = await ssoFlowsFor(ctx).start('bob@acme.test');
    const r = await signInAtSamlIdp(start.authorizationUrl, 'bob@acme.test', world.password);
    expect(r.text).toContain('You are signed in to Acme Corp as bob@acme.test');
    const status = ssoFlowsFor(ctx).status(start.flowId);
    expect(status.session).toMatchObject({ email: 'bob@acme.test', account: 'acme' });
    expect(status.steps.map((s) => s.step)).toEqual([
      'policy',
      'listener',
      'authn request',
      'acs',
      'saml response',
      'xml',
      'message',
      'wrapping',
      'algorithm',
      'destination',
      'in_response_to',
      'signature',
      'audience',
      'time',
      'issuer',
      'recipient',
      'in_response_to',
      'replay',
      'user',
      'session',
    ]);
    expect(status.steps.find((s) => s.step === 'authn request')!.detail).toContain('<samlp:AuthnRequest');
    expect(status.steps.find((s) => s.step === 'saml response')!.detail).toContain(
      '<ds:SignatureValue>••••</ds:SignatureValue>',
    );
  });

  it('a Simulator run on a SAML account has the SAML timeline: AuthnRequest, the decoded response, each check, the verdict', async () => {
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const r = (await world.booted.dispatch(name, input)) as
        { ok: true; value: T } | { ok: false; error: { message: string } };
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const started = await call<SimRunView>('simulate.run.start', {
      email: 'ann@acme.test',
      method: 'auto',
      device: {},
    });
    expect(started.ran).toBe('sso');
    expect(started.steps.map((s) => s.step)).toEqual(['method choice', 'policy', 'listener', 'authn request']);
    const r = await signInAtSamlIdp(started.sso!.authorizationUrl, 'ann@acme.test', world.password);
    expect(r.status).toBe(200);
    let v: SimRunView | undefined;
    await waitFor(
      async () => (v = await call<SimRunView>('simulate.run.status', { runId: started.runId })).state === 'done',
      15_000,
    );
    expect(v!.outcome).toMatchObject({ ok: true });
    expect(v!.outcome!.sentence).toMatch(/^ann@acme\.test signed in to Acme Corp/);
    for (const check of [
      'wrapping',
      'algorithm',
      'signature',
      'audience',
      'time',
      'issuer',
      'recipient',
      'replay',
      'user',
    ])
      expect(v!.steps.find((s) => s.step === check)?.outcome, check).toBe('ok');
    expect(v!.steps.find((s) => s.step === 'saml response')!.detail).toContain('<saml:NameID');
    expect(JSON.stringify(v)).not.toMatch(/SignatureValue>[A-Za-z0-9+/]{20}/);
  });
});

describe('an IdP that takes AuthnRequests only by HTTP-POST', () => {
  /** The demo IdP's metadata lists both bindings; without its HTTP-Redirect entry only HTTP-POST is left. */
  const withoutRedirect = (metadata: string): string =>
    metadata.replace(/\s*<md:SingleSignOnService Binding="[^"]*HTTP-Redirect"[^>]*\/>/, '');

  it('is part of the settings’ fingerprint, so a test of the redirect settings does not count for it', async () => {
    const idp = samlEngineFor(world.booted.ctx).get('acme').idp;
    const both = await (await fetch(idp.entityId)).text();
    expect(both).toContain('HTTP-Redirect');
    const postOnly = withoutRedirect(both);
    const settings = (idpMetadataXml: string | null): ResolvedSaml => ({
      preset: 'generic',
      idpEntityId: idp.entityId,
      idpSsoUrl: new URL('/saml/sso', idp.entityId).href,
      idpCerts: [],
      idpMetadataXml,
      acsPort: 8766,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      userAttribute: 'nameid',
      allowIdpInitiated: false,
      clockSkewSeconds: 120,
      allowSha1: false,
    });
    // Redirect (from metadata or typed by hand) is what fingerprints always meant: unchanged.
    expect(samlFingerprint(settings(both), null)).toBe(samlFingerprint(settings(null), null));
    expect(samlFingerprint(settings(postOnly), null)).not.toBe(samlFingerprint(settings(both), null));
  });

  it('gets the AuthnRequest from a page on the ACS listener that posts it, and the sign-in completes', async () => {
    const ctx = world.booted.ctx;
    const idp = samlEngineFor(ctx).get('acme').idp;
    const metadata = await (await fetch(idp.entityId)).text();
    const postOnly = withoutRedirect(metadata);
    expect(postOnly).not.toContain('HTTP-Redirect');
    const acsPort = await freePort();
    await samlEngineFor(ctx).save({
      account: 'acme',
      enabled: false,
      preset: 'generic',
      actor: 'test',
      idpMetadataXml: postOnly,
      acsPort,
    });
    const report = await samlEngineFor(ctx).test({ account: 'acme', preset: 'generic', timeoutMs: 3000 });
    expect(report.findings.find((f) => f.check === 'binding')?.message).toContain(
      'the IdP takes AuthnRequests by HTTP-POST; SSO Desk sends HTTP-POST (a page on the ACS listener posts it)',
    );

    const start = await ssoFlowsFor(ctx).start('ann@acme.test', 'acme', { test: true, protocol: 'saml' });
    expect(start.authorizationUrl).toBe(`http://127.0.0.1:${acsPort}/saml/start/${start.flowId}`);
    const startPage = await fetch(start.authorizationUrl);
    expect(startPage.status).toBe(200);
    // Only the page's own script runs (its nonce); the post may follow the IdP's redirects to any web origin.
    const csp = startPage.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+';/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('form-action http: https:;');
    const html = await startPage.text();
    const action = decode(/<form id="saml" method="post" action="([^"]+)">/.exec(html)![1]!);
    expect(action).toBe(new URL('/saml/sso', idp.entityId).href);
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, decode(m[2]!)]),
    );
    // Bindings §3.5.4: by POST the AuthnRequest is base64 of the XML itself (not DEFLATEd as by redirect).
    expect(Buffer.from(fields.SAMLRequest!, 'base64').toString('utf8')).toMatch(/^(<\?xml[^>]*>)?<samlp:AuthnRequest /);
    expect(fields.RelayState).toBe(start.flowId);

    const login = await fetch(action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
    expect(login.status).toBe(200);
    const r = await loginAtSamlIdp(await login.text(), action, 'ann@acme.test', world.password);
    expect(r.status).toBe(200);
    expect(r.text).toContain('Test sign-in worked');
    const status = ssoFlowsFor(ctx).status(start.flowId);
    expect(status.state).toBe('signed_in');
    expect(status.steps.find((s) => s.step === 'authn request')!.detail).toContain(
      'by HTTP-POST to ' + action + ' (the IdP takes only HTTP-POST: a page on the ACS listener posts it)',
    );
    // The page lived only while the sign-in waited.
    expect((await fetch(start.authorizationUrl)).status).toBe(404);
  });
});
