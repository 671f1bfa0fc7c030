// Validation cost of a signed SAMLResponse (issue #21: aim ≤ 2 ms at the median on this machine).
// What it times, in the same run and interleaved so a busy moment hits all three alike:
// - SSO Desk: validateSamlResponse, the ACS's whole check — decode, DTD refusal, wrapping and
//   algorithm checks, node-saml's signature verification (xml-crypto, RSA-SHA256, 2048-bit key),
//   audience and time window, then Issuer, Recipient, InResponseTo and the user. Not the HTTP post.
// - samlify (the other maintained Node SAML library, the peer): ServiceProvider.parseLoginResponse
//   with its schema validator switched off, so it does less than it would in production.
// - xml-crypto alone: one SignedXml.checkSignature over the same document — the floor under both
//   libraries, which both verify signatures with it.
import { performance } from 'node:perf_hooks';
import * as samlify from 'samlify';
import { SignedXml } from 'xml-crypto';
import { DOMParser } from '@xmldom/xmldom';
import { generateKeyAndCertificate } from '../src/main/engine/saml/certificates';
import { validateSamlResponse, type ResponseExpectation } from '../src/main/engine/saml/validate-response';
import { buildSamlResponse } from '../src/main/idp/saml-response';

const N = Number(process.env.SAML_BENCH_N ?? 1500);
const ROUND = 50;
const acs = 'http://127.0.0.1:8766/saml/acs';
const sp = 'urn:sso-desk:sp:acme';
const idpId = 'https://idp.bench/';
const key = generateKeyAndCertificate('bench IdP');

// The schema check is samlify's mandatory hook; the peer runs without it (it would only add time).
samlify.setSchemaValidator({ validate: async () => 'skipped' });
const samlifyIdp = samlify.IdentityProvider({
  entityID: idpId,
  signingCert: key.certPem.replace(/-----[^-]+-----|\s/g, ''),
  singleSignOnService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: `${idpId}sso` }],
  singleLogoutService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: `${idpId}slo` }],
});
const samlifySp = samlify.ServiceProvider({
  entityID: sp,
  assertionConsumerService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: acs }],
  clockDrifts: [-120_000, 120_000],
});

function fixture(sign: 'assertion' | 'response') {
  const xml = buildSamlResponse({
    issuer: idpId,
    destination: acs,
    inResponseTo: '_req',
    audience: sp,
    nameId: 'ann@acme.test',
    attributes: { email: 'ann@acme.test', groups: ['a', 'b', 'c'] },
    privateKey: key.privatePem,
    certificate: key.certPem,
    sign,
  });
  const b64 = Buffer.from(xml).toString('base64');
  const exp: ResponseExpectation = {
    spEntityId: sp,
    acsUrl: acs,
    idpEntityId: idpId,
    certificates: [key.certPem],
    allowSha1: false,
    clockSkewSeconds: 120,
    requestId: '_req',
    allowIdpInitiated: false,
    userAttribute: 'nameid',
    spPrivateKey: null,
    now: Date.now(),
  };
  const signature = new DOMParser()
    .parseFromString(xml, 'text/xml')
    .getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
  const runs: Record<string, () => Promise<void>> = {
    'SSO Desk': async () => {
      const v = await validateSamlResponse(b64, exp);
      if (!v.ok) throw new Error(v.reason);
    },
    samlify: async () => {
      const r = await samlifySp.parseLoginResponse(samlifyIdp, 'post', { body: { SAMLResponse: b64 } });
      if (r.extract.nameID !== 'ann@acme.test') throw new Error('samlify read no NameID');
    },
    'xml-crypto checkSignature alone': async () => {
      const s = new SignedXml({ publicCert: key.certPem });
      s.loadSignature(signature as unknown as Node);
      if (!s.checkSignature(xml)) throw new Error('xml-crypto refused the signature');
    },
  };
  return { xml, runs };
}

for (const sign of ['assertion', 'response'] as const) {
  const { xml, runs } = fixture(sign);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (const run of Object.values(runs)) for (let i = 0; i < 200; i++) await run(); // warm-up
  for (let done = 0; done < N; done += ROUND)
    for (const [name, run] of Object.entries(runs))
      for (let i = 0; i < ROUND; i++) {
        const t = performance.now();
        await run();
        times[name]!.push(performance.now() - t);
      }
  const median = (name: string): number => {
    const t = times[name]!.sort((a, b) => a - b);
    return t[t.length >> 1]!;
  };
  const p90 = (name: string): number => times[name]![Math.floor(times[name]!.length * 0.9)]!;
  console.log(`${sign} signed, ${xml.length} bytes, ${N} runs each:`);
  const ours = median('SSO Desk');
  for (const name of Object.keys(runs)) {
    const m = median(name);
    console.log(
      `  ${name.padEnd(32)} median ${m.toFixed(3)} ms, p90 ${p90(name).toFixed(3)} ms` +
        (name === 'SSO Desk' ? '' : `  (SSO Desk ÷ this: ${(ours / m).toFixed(2)})`),
    );
  }
}
