import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../../../oidc/helpers';
import { startVendorIdp, type VendorIdp } from '../../../oidc/vendor-idps';
import { RecordingBrowser, callbackServer } from './record-har';
import type { Diagnosis } from '../../../../src/shared/contract/diagnose';

/**
 * HAR files recorded against the test IdPs that answer as Entra ID and as a strict IdP do (their own
 * error pages and codes), not hand-typed: what support gets from a customer behind those IdPs.
 */
let world: World;
let entra: VendorIdp;
let strict: VendorIdp;
let cb: Awaited<ReturnType<typeof callbackServer>>;
beforeAll(async () => {
  world = await startWorld();
  cb = await callbackServer();
  const client = {
    client_id: 'desk-app',
    token_endpoint_auth_method: 'none',
    application_type: 'native',
    redirect_uris: [cb.redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  };
  const users = [{ sub: 'ann@acme.test', claims: { email: 'ann@acme.test', email_verified: true } }];
  entra = await startVendorIdp('entra', { clients: [client], users });
  strict = await startVendorIdp('strict', { clients: [client], users });
}, 30_000);
afterAll(async () => {
  await entra?.close();
  await strict?.close();
  await cb?.close();
  await world?.close();
});

const diagnose = async (text: string): Promise<Diagnosis> => {
  const r = await world.booted.dispatch('inspect.diagnose', { text });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Diagnosis;
};

async function authorizeUrl(idp: VendorIdp, params: Record<string, string>): Promise<string> {
  const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
  };
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    scope: 'openid email',
    state: 'st-1',
    nonce: 'n-1',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...params,
  }).toString();
  return url.href;
}

describe('Diagnose on HAR files recorded at vendor-like IdPs', () => {
  it('Entra ID: an unknown application (AADSTS700016) gets the catalogue’s cause and fix, with its trace ID', async () => {
    const browser = new RecordingBrowser();
    const res = await browser.request(
      await authorizeUrl(entra, { client_id: 'not-registered-app', redirect_uri: cb.redirectUri }),
    );
    expect(res.status).toBe(400);
    const d = await diagnose(JSON.stringify(browser.har()));
    const f = d.findings.find((x) => x.code === 'idp_error');
    expect(f?.step).toBe('authorize');
    expect(f?.message).toContain('AADSTS700016');
    expect(f?.message).toMatch(/trace ID [0-9a-f-]{36}/);
    expect(f?.fix).toMatch(/Application \(client\) ID|client ID/i);
  });

  it('a strict IdP that refuses the redirect URI only after the password: named as a redirect URI refusal', async () => {
    const browser = new RecordingBrowser();
    const other = cb.redirectUri.replace('/callback', '/other');
    const r = await browser
      .signInAtIdp(await authorizeUrl(strict, { client_id: 'desk-app', redirect_uri: other }), 'ann@acme.test', 'x')
      .catch((e: Error) => ({ loginError: e.message }));
    expect('callback' in r).toBe(false);
    const d = await diagnose(JSON.stringify(browser.har()));
    const f = d.findings.find((x) => x.code === 'redirect_uri_mismatch');
    expect(f, JSON.stringify(d.findings)).toBeDefined();
    expect(f!.message).toContain(other);
  });
});
