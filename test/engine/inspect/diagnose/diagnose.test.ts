import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../../oidc/helpers';
import { recordSignIn, type Har } from './record-har';
import type { Diagnosis } from '../../../../src/shared/contract/diagnose';

let world: World;
let good: Har;
beforeAll(async () => {
  world = await startWorld();
  good = (await recordSignIn(world.booted.urls.idp!, 'ann@acme.test', world.password)).har;
}, 30_000);
afterAll(async () => {
  await world.close();
});

const diagnose = async (har: Har | string): Promise<Diagnosis> => {
  const r = await world.booted.dispatch('inspect.diagnose', {
    text: typeof har === 'string' ? har : JSON.stringify(har),
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Diagnosis;
};
const codes = (d: Diagnosis) => d.findings.map((f) => f.code);
const copy = (): Har => JSON.parse(JSON.stringify(good)) as Har;
const entryOf = (har: Har, test: (url: string, method: string) => boolean) =>
  har.log.entries.find((e) => test(e.request.url, e.request.method))!;
const isCallback = (u: string) => /127\.0\.0\.1:\d+\/callback/.test(u);
const isToken = (_u: string, m: string) => m === 'POST' && /\/token$/.test(new URL(_u).pathname);
const isAuthorize = (u: string) => new URL(u).searchParams.has('response_type');

describe('inspect.diagnose on HAR files recorded from real sign-ins at the embedded IdP', () => {
  it('reads a good sign-in as a timeline with no finding, secrets masked and listed for reveal', async () => {
    const d = await diagnose(good);
    expect(d.source).toBe('har');
    expect(d.findings).toEqual([]);
    expect(d.summary).toMatch(/no problem found/);
    const steps = d.exchanges.map((e) => e.step);
    expect(steps).toEqual(expect.arrayContaining(['discovery', 'authorize', 'callback', 'token', 'JWKS']));
    const tokenAnswer = JSON.parse(entryOf(good, isToken).response.content.text!) as { id_token: string };
    const shown = JSON.stringify(d.exchanges);
    expect(shown).not.toContain(tokenAnswer.id_token);
    const code = new URL(entryOf(good, isCallback).request.url).searchParams.get('code')!;
    expect(shown).not.toContain(code);
    expect(d.secrets.map((s) => s.value)).toEqual(expect.arrayContaining([tokenAnswer.id_token, code]));
    const cb = d.exchanges.find((e) => e.step === 'callback')!;
    expect(cb.fields.find((f) => f.name === 'code')).toMatchObject({ value: '••••' });
  });

  it('state_mismatch: the callback comes back with another state', async () => {
    const har = copy();
    const cb = entryOf(har, isCallback);
    const u = new URL(cb.request.url);
    u.searchParams.set('state', 'someone-elses');
    cb.request.url = u.href;
    const d = await diagnose(har);
    expect(codes(d)).toContain('state_mismatch');
    expect(d.findings.find((f) => f.code === 'state_mismatch')).toMatchObject({ step: 'callback', severity: 'error' });
  });

  it('nonce_mismatch: the ID token answers another authorize request', async () => {
    const har = copy();
    const a = entryOf(har, isAuthorize);
    const u = new URL(a.request.url);
    u.searchParams.set('nonce', 'another-nonce');
    a.request.url = u.href;
    expect(codes(await diagnose(har))).toContain('nonce_mismatch');
  });

  it('token_expired and token_not_yet_valid, with the clock difference read from the Date headers', async () => {
    const shifted = (ms: number) => {
      const har = copy();
      for (const e of har.log.entries) e.startedDateTime = new Date(Date.parse(e.startedDateTime) + ms).toISOString();
      return har;
    };
    const late = await diagnose(shifted(2 * 3600_000));
    const expired = late.findings.find((f) => f.code === 'token_expired')!;
    expect(expired.message).toMatch(/browser’s clock is 2\.0 h ahead of the server’s/);
    expect(expired.fix).toMatch(/clock/);
    const early = await diagnose(shifted(-3600_000));
    expect(early.findings.find((f) => f.code === 'token_not_yet_valid')!.message).toMatch(/60 min behind/);
  });

  it('signature_invalid: an ID token changed on its way does not verify with the JWKS in the capture', async () => {
    const har = copy();
    const t = entryOf(har, isToken);
    const body = JSON.parse(t.response.content.text!) as Record<string, string>;
    const [h, p, s] = body.id_token!.split('.');
    body.id_token = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
    t.response.content.text = JSON.stringify(body);
    const d = await diagnose(har);
    expect(codes(d)).toContain('signature_invalid');
  });

  it('issuer_mismatch: the discovery document names another issuer than the token', async () => {
    const har = copy();
    const disc = entryOf(har, (u) => u.endsWith('/.well-known/openid-configuration'));
    const doc = JSON.parse(disc.response.content.text!) as Record<string, string>;
    doc.issuer = 'https://login.example.com/tenant';
    disc.response.content.text = JSON.stringify(doc);
    expect(codes(await diagnose(har))).toContain('issuer_mismatch');
  });

  it('audience_mismatch: compares the HAR’s client_id with Acme Corp’s settings', async () => {
    const har = copy();
    const a = entryOf(har, isAuthorize);
    const u = new URL(a.request.url);
    u.searchParams.set('client_id', 'some-other-app');
    a.request.url = u.href;
    const d = await diagnose(har);
    const msgs = d.findings.filter((f) => f.code === 'audience_mismatch').map((f) => f.message);
    expect(msgs).toContain("The HAR's client_id is some-other-app; Acme Corp's settings have sso-desk-demo.");
  });

  it('cookies_blocked: the IdP’s login form is posted without the cookie it set', async () => {
    const har = copy();
    const post = entryOf(har, (_u, m) => m === 'POST' && !isToken(_u, m));
    post.request.headers = post.request.headers.filter((h) => h.name !== 'Cookie');
    const d = await diagnose(har);
    expect(codes(d)).toContain('cookies_blocked');
  });

  it('loop: the same redirect more than three times', async () => {
    const har = copy();
    const redirect = har.log.entries.find((e) => e.response.status >= 300 && e.response.status < 400)!;
    har.log.entries.push(...[1, 2, 3].map(() => JSON.parse(JSON.stringify(redirect)) as typeof redirect));
    expect(codes(await diagnose(har))).toContain('loop');
  });

  it('http_error: a 5xx answer at the token endpoint', async () => {
    const har = copy();
    const t = entryOf(har, isToken);
    t.response.status = 503;
    t.response.statusText = 'Service Unavailable';
    t.response.content.text = 'upstream down';
    const d = await diagnose(har);
    expect(d.findings.find((f) => f.code === 'http_error')).toMatchObject({ step: 'token', severity: 'error' });
  });

  it('idp_error: an Entra ID AADSTS code in the callback gets the catalogue’s fix', async () => {
    const har = copy();
    const cb = entryOf(har, isCallback);
    const u = new URL(cb.request.url);
    u.search = new URLSearchParams({
      error: 'access_denied',
      error_description: 'AADSTS50105: The signed in user is not assigned to a role for the application.',
      state: u.searchParams.get('state')!,
    }).toString();
    cb.request.url = u.href;
    const f = (await diagnose(har)).findings.find((x) => x.code === 'idp_error')!;
    expect(f.message).toMatch(/AADSTS50105/);
    expect(f.fix).toMatch(/Users and groups/);
  });

  it('pkce_missing and idp_error: a real authorize request without PKCE, refused by the IdP', async () => {
    const { har } = await recordSignIn(world.booted.urls.idp!, 'ann@acme.test', world.password, { pkce: false });
    const d = await diagnose(har);
    expect(codes(d)).toEqual(expect.arrayContaining(['pkce_missing', 'idp_error']));
  });

  it('redirect_uri_mismatch: a real authorize request with an unregistered redirect URI', async () => {
    const { har } = await recordSignIn(world.booted.urls.idp!, 'ann@acme.test', world.password, {
      redirectUri: 'https://app.example.com/oauth/callback',
    });
    const d = await diagnose(har);
    expect(d.findings[0]).toMatchObject({ code: 'redirect_uri_mismatch', step: 'authorize' });
    expect(d.findings[0]!.message).toContain('https://app.example.com/oauth/callback');
  });

  it('claim_missing: a real sign-in without the email scope gives Acme no email to match the user on', async () => {
    const { har } = await recordSignIn(world.booted.urls.idp!, 'ann@acme.test', world.password, { scope: 'openid' });
    const f = (await diagnose(har)).findings.find((x) => x.code === 'claim_missing')!;
    expect(f.message).toMatch(/no email claim, which Acme Corp reads the user from/);
  });

  it('sso_required: SSO Desk’s own /auth/login refuses a password for an account that enforces SSO', async () => {
    const api = world.booted.urls.api!;
    const body = JSON.stringify({ email: 'ann@acme.test', password: 'not-the-password' });
    const res = await fetch(`${api}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const entry = {
      startedDateTime: new Date().toISOString(),
      request: {
        method: 'POST',
        url: `${api}/auth/login`,
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        postData: { mimeType: 'application/json', text: body },
      },
      response: {
        status: res.status,
        statusText: res.statusText,
        headers: [],
        content: { mimeType: 'application/json', text: await res.text() },
        redirectURL: '',
      },
    };
    const d = await diagnose(
      JSON.stringify({ log: { version: '1.2', creator: { name: 'Firefox', version: '1' }, entries: [entry] } }),
    );
    expect(d.findings[0]).toMatchObject({ code: 'sso_required', step: 'SSO Desk login' });
    expect(JSON.stringify(d.exchanges)).not.toContain('not-the-password');
  });

  it('user_not_registered and user_deactivated: SSO Desk’s callback page refuses the user the IdP signed in', async () => {
    const page = (text: string) => {
      const har = copy();
      const cb = entryOf(har, isCallback);
      cb.response.status = 400;
      cb.response.content.text = `<h1>Sign-in failed</h1><p>${text}. Return to SSO Desk for the details.</p>`;
      return har;
    };
    expect(codes(await diagnose(page('nobody@acme.test is not a registered user')))).toContain('user_not_registered');
    expect(codes(await diagnose(page('ann@acme.test is deactivated in Acme Corp')))).toContain('user_deactivated');
  });

  it('no_sso_exchange, and bad input said plainly', async () => {
    const har = copy();
    har.log.entries = har.log.entries.filter((e) => e.request.url.endsWith('/jwks'));
    expect(codes(await diagnose(har))).toEqual(['no_sso_exchange']);
    const notJson = await diagnose('this is not a HAR');
    expect(notJson.source).toBe('unknown');
    expect(notJson.notes[0]).toMatch(/not a HAR file, a URL/);
    expect((await diagnose('{"foo": 1}')).notes[0]).toMatch(/JSON but not a HAR/);
    const text = JSON.stringify(good);
    const cut = await diagnose(text.slice(0, Math.floor(text.length * 0.6)));
    expect(cut.notes.join(' ')).toMatch(/cut off \(truncated\)/);
    const broken = await diagnose(
      JSON.stringify({
        log: {
          entries: [
            {},
            { request: {} },
            42,
            {
              request: { url: 'https://x.example/authorize?response_type=code&client_id=a&redirect_uri=https://a/cb' },
            },
          ],
        },
      }),
    );
    expect(broken.notes.join(' ')).toMatch(/have no request URL and were skipped/);
    expect(broken.exchanges).toHaveLength(1);
  });

  it('pasted text: a callback URL, a SAMLResponse and a token', async () => {
    const url = await diagnose(
      'https://app.example.com/callback?error=invalid_client&error_description=Client+authentication+failed&state=x',
    );
    expect(url.source).toBe('url');
    expect(codes(url)).toContain('idp_error');
    const xml =
      '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Destination="https://sp.example/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example/</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>';
    const saml = await diagnose(Buffer.from(xml).toString('base64'));
    expect(saml.source).toBe('saml');
    expect(saml.exchanges[0]!.decoded).toContain('https://idp.example/');
    expect(saml.exchanges[0]!.detail).toMatch(/SAML Response .* from issuer https:\/\/idp\.example\/, status Success/);
    const tokenAnswer = JSON.parse(entryOf(good, isToken).response.content.text!) as { id_token: string };
    const token = await diagnose(tokenAnswer.id_token);
    expect(token.source).toBe('token');
    expect(token.exchanges[0]!.decoded).toContain('ann@acme.test');
  });
});
