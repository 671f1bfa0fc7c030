import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateSamlResponse, type ResponseExpectation } from '../../src/main/engine/saml/validate-response';
import { buildSamlResponse } from '../../src/main/idp/saml-response';
import { spEntityId } from '../../src/shared/saml-config';
import { IDP_ENTITY_ID, samlWorld, testIdpKey } from './helpers';

/*
 * Property tests of the ACS's trust boundary: whatever arrives, the check answers with a verdict in words
 * (never a throw, never a 5xx), and a response changed anywhere after signing is either refused or still
 * says exactly what the IdP signed.
 */

const ACS = 'http://127.0.0.1:8766/saml/acs';
const expectation = (): ResponseExpectation => ({
  spEntityId: spEntityId('acme'),
  acsUrl: ACS,
  idpEntityId: IDP_ENTITY_ID,
  certificates: [testIdpKey().certPem],
  allowSha1: false,
  clockSkewSeconds: 120,
  requestId: '_request',
  allowIdpInitiated: false,
  userAttribute: 'nameid',
  spPrivateKey: null,
  now: Date.now(),
});
const signed = (sign: 'assertion' | 'response') =>
  buildSamlResponse({
    issuer: IDP_ENTITY_ID,
    destination: ACS,
    inResponseTo: '_request',
    audience: spEntityId('acme'),
    nameId: 'ann@acme.test',
    assertionId: '_the_signed_assertion',
    attributes: { email: 'ann@acme.test', groups: ['admins'] },
    privateKey: testIdpKey().privatePem,
    certificate: testIdpKey().certPem,
    sign,
  });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('validateSamlResponse: one character changed anywhere', () => {
  for (const sign of ['assertion', 'response'] as const)
    it(`the ${sign} signed: every change is refused with a reason, or the verdict still says what was signed`, async () => {
      const xml = signed(sign);
      const original = await validateSamlResponse(b64(xml), expectation());
      expect(original.ok, original.reason).toBe(true);
      // Characters that change XML's structure, names, values and whitespace.
      const replacement = fc.constantFrom(...'<>"\'&=/ :#_-aZ0\n'.split(''));
      await fc.assert(
        fc.asyncProperty(fc.nat(xml.length - 1), replacement, async (at, ch) => {
          fc.pre(xml[at] !== ch);
          const changed = xml.slice(0, at) + ch + xml.slice(at + 1);
          const v = await validateSamlResponse(b64(changed), expectation());
          expect(v.reason).not.toBe('');
          if (v.ok) {
            // Only what the signature does not cover may change (the Response's own attributes when
            // the assertion alone is signed, whitespace): the user, assertion and issuer are the signed ones.
            expect([v.user, v.assertionId, v.issuer]).toEqual([
              'ann@acme.test',
              '_the_signed_assertion',
              IDP_ENTITY_ID,
            ]);
            expect(v.attributes).toEqual(original.attributes);
          } else {
            expect(v.checks.at(-1)).toMatchObject({ result: 'fail', reason: v.reason });
            expect(v.code).not.toBe('ok');
          }
        }),
        { numRuns: 300 },
      );
    }, 60_000);
});

describe('validateSamlResponse: arbitrary text', () => {
  it('XML that xmldom would only warn about (an attribute without quotes) is refused as not well-formed', async () => {
    const xml = signed('assertion').replace('Version="2.0"', 'Version=2.0');
    const v = await validateSamlResponse(b64(xml), expectation());
    expect(v).toMatchObject({ ok: false, code: 'not_xml' });
    expect(v.reason).toMatch(
      /^the SAMLResponse is not well-formed XML \(the attribute value 2\.0 is not in quotes near line 1, column \d+\)$/,
    );
  });

  it('text, base64 of text and XML-like fragments get a refusal in words, never a throw', async () => {
    const xmlish = fc
      .array(
        fc.constantFrom(
          '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">',
          '</samlp:Response>',
          '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a">',
          '</saml:Assertion>',
          '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">',
          '</ds:Signature>',
          '<!DOCTYPE x [<!ENTITY a "b">]>',
          '<!-- c -->',
          '&a;',
          '<![CDATA[x]]>',
          'ann@acme.test',
          '<?xml version="1.0"?>',
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join(''));
    const input = fc.oneof(fc.string(), fc.base64String(), xmlish, xmlish.map(b64), fc.string().map(b64));
    await fc.assert(
      fc.asyncProperty(input, async (text) => {
        const v = await validateSamlResponse(text, expectation());
        expect(v.ok).toBe(false);
        expect(v.reason).not.toBe('');
      }),
      { numRuns: 400 },
    );
  });
});

describe('the ACS over HTTP', () => {
  let w: Awaited<ReturnType<typeof samlWorld>>;
  beforeAll(async () => {
    w = await samlWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('any method, content type and body, with a sign-in waiting, gets a page below 500', async () => {
    const request = fc.record({
      method: fc.constantFrom('POST', 'GET', 'PUT', 'DELETE'),
      type: fc.constantFrom('application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data', ''),
      body: fc.oneof(
        fc.string(),
        fc.string().map((s) => `SAMLResponse=${encodeURIComponent(s)}`),
        fc.base64String().map((s) => `SAMLResponse=${encodeURIComponent(s)}`),
        fc.constant(`SAMLResponse=${encodeURIComponent(b64(signed('assertion')))}`),
      ),
      relay: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const flow = await w.start();
        const body = r.relay && r.method === 'POST' ? `${r.body}&RelayState=${flow.relayState}` : r.body;
        const res = await fetch(w.acs, {
          method: r.method,
          headers: r.type ? { 'Content-Type': r.type } : {},
          ...(r.method === 'GET' ? {} : { body }),
        });
        const page = await res.text();
        expect(res.status).toBeLessThan(500);
        expect(page).toMatch(/<title>/);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
