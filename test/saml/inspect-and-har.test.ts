import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { samlWorld } from './helpers';
import { inspectSaml } from '../../src/main/engine/saml/inspect';
import { toHar } from '../../src/shared/har';

type World = Awaited<ReturnType<typeof samlWorld>>;
let w: World;
beforeAll(async () => {
  w = await samlWorld();
});
afterAll(async () => {
  await w.close();
});

describe('Inspector › SAML', () => {
  it('decodes a SAMLResponse and, with an account, checks it as the ACS would (without using it up)', async () => {
    const xml = w.response('_req1');
    const b64 = Buffer.from(xml).toString('base64');
    const plain = await inspectSaml(w.store.db, { text: b64 }, Date.now());
    expect(plain.kind).toBe('response');
    expect(plain.facts).toEqual(expect.arrayContaining([{ name: 'NameID', value: 'ann@acme.test' }]));
    expect(plain.checks).toEqual([expect.objectContaining({ check: 'signature', result: 'skip' })]);
    const checked = await inspectSaml(w.store.db, { text: b64, account: 'acme' }, Date.now());
    expect(checked.ok).toBe(true);
    expect(checked.verdict).toMatch(/would be accepted for acme/);
    expect(checked.checks.find((c) => c.check === 'signature')).toMatchObject({ result: 'ok' });
    expect(checked.checks.find((c) => c.check === 'replay')).toMatchObject({ result: 'skip' });
    expect(checked.xml).toContain('<ds:SignatureValue>••••</ds:SignatureValue>');
    const tampered = await inspectSaml(
      w.store.db,
      { text: xml.replace('>ann@acme.test<', '>bob@acme.test<'), account: 'acme' },
      Date.now(),
    );
    expect(tampered.ok).toBe(false);
    expect(tampered.verdict).toMatch(/would be refused for acme: the signature does not verify/);
  });

  it('decodes an AuthnRequest from a redirect URL (DEFLATE + base64)', async () => {
    const request = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_abc" Version="2.0" IssueInstant="2026-12-05T09:00:00Z" AssertionConsumerServiceURL="http://127.0.0.1:8766/saml/acs"><saml:Issuer>urn:sso-desk:sp:acme</saml:Issuer></samlp:AuthnRequest>`;
    const url = `https://idp.example/sso?SAMLRequest=${encodeURIComponent(deflateRawSync(request).toString('base64'))}&RelayState=x`;
    const r = await inspectSaml(w.store.db, { text: url }, Date.now());
    expect(r.kind).toBe('authn_request');
    expect(r.facts).toEqual(
      expect.arrayContaining([
        { name: 'Issuer (SP)', value: 'urn:sso-desk:sp:acme' },
        { name: 'AssertionConsumerServiceURL', value: 'http://127.0.0.1:8766/saml/acs' },
      ]),
    );
  });

  it('refuses a billion-laughs paste with its reason', async () => {
    const r = await inspectSaml(w.store.db, { text: '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>' }, Date.now());
    expect(r.ok).toBe(false);
    expect(r.verdict).toMatch(/no entity expansion/);
  });
});

describe('HAR export redacts SAML assertions', () => {
  it('masks a posted SAMLResponse and any assertion in an XML body', () => {
    const xml = w.response('_req1');
    const har = toHar(
      {
        startedAt: Date.now(),
        title: 't',
        steps: [
          {
            step: 'acs',
            outcome: 'ok',
            detail: 'post',
            atMs: 0,
            http: {
              request: {
                method: 'POST',
                url: 'http://127.0.0.1:8766/saml/acs',
                headers: [['content-type', 'application/x-www-form-urlencoded']],
                body: new URLSearchParams({
                  SAMLResponse: Buffer.from(xml).toString('base64'),
                  RelayState: 'r',
                }).toString(),
              },
              response: {
                status: 200,
                statusText: 'OK',
                headers: [['content-type', 'application/xml']],
                body: xml,
                truncated: false,
              },
              ms: 1,
            },
          },
        ],
      },
      't',
    );
    const text = JSON.stringify(har);
    expect(text).not.toContain('ann@acme.test');
    expect(text).not.toContain(Buffer.from(xml).toString('base64').slice(0, 40));
    expect(text).toContain('(assertion redacted)');
  });
});
