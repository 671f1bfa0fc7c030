// Validation cost of a signed SAMLResponse (issue #21: aim ≤ 2 ms at the median on this machine).
// What it times: validateSamlResponse, the ACS's whole check — decode, DTD refusal, wrapping and
// algorithm checks, node-saml's signature verification (xml-crypto, RSA-SHA256, 2048-bit key),
// audience and time window, then Issuer, Recipient, InResponseTo and the user. Not the HTTP post.
import { performance } from 'node:perf_hooks';
import { generateKeyAndCertificate } from '../src/main/engine/saml/certificates';
import { validateSamlResponse } from '../src/main/engine/saml/validate-response';
import { buildSamlResponse } from '../src/main/idp/saml-response';

const N = Number(process.env.SAML_BENCH_N ?? 2000);
const acs = 'http://127.0.0.1:8766/saml/acs';
const key = generateKeyAndCertificate('bench IdP');
const sign = process.env.SAML_BENCH_SIGN === 'response' ? 'response' : 'assertion';
const xml = buildSamlResponse({
  issuer: 'https://idp.bench/',
  destination: acs,
  inResponseTo: '_req',
  audience: 'urn:sso-desk:sp:acme',
  nameId: 'ann@acme.test',
  attributes: { email: 'ann@acme.test', groups: ['a', 'b', 'c'] },
  privateKey: key.privatePem,
  certificate: key.certPem,
  sign,
});
const b64 = Buffer.from(xml).toString('base64');
const exp = {
  spEntityId: 'urn:sso-desk:sp:acme',
  acsUrl: acs,
  idpEntityId: 'https://idp.bench/',
  certificates: [key.certPem],
  allowSha1: false,
  clockSkewSeconds: 120,
  requestId: '_req',
  allowIdpInitiated: false,
  userAttribute: 'nameid',
  spPrivateKey: null,
  now: Date.now(),
};
for (let i = 0; i < 200; i++) await validateSamlResponse(b64, exp); // warm-up
const times: number[] = [];
for (let i = 0; i < N; i++) {
  const t = performance.now();
  const v = await validateSamlResponse(b64, exp);
  times.push(performance.now() - t);
  if (!v.ok) throw new Error(v.reason);
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);
console.log(
  `validate a signed SAMLResponse (${sign} signed, ${xml.length} bytes), ${N} runs: median ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms`,
);
