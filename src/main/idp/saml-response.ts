import { samlId, xmlEscape } from '../engine/saml/xml-safety';
import { SignedXml } from 'xml-crypto';

/**
 * Builds and signs a SAML 2.0 Response the way an IdP does (Web Browser SSO Profile §4.1.4.2): for
 * the embedded demo IdP, and for tests that play a real IdP (then tamper with the result). The
 * signature is xml-crypto's (enveloped, exclusive C14N, RSA-SHA256 by default); nothing here computes
 * a signature by hand.
 */
export interface ResponseSpec {
  issuer: string;
  destination: string;
  /** Absent = IdP-initiated (no AuthnRequest answered). */
  inResponseTo?: string | undefined;
  audience: string;
  nameId: string;
  nameIdFormat?: string;
  attributes?: Record<string, string | string[]>;
  /** Epoch ms; default now. */
  issueInstant?: number;
  notBefore?: number;
  notOnOrAfter?: number;
  responseId?: string;
  assertionId?: string;
  /** Which element carries the signature; default the assertion. */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  privateKey: string;
  certificate: string;
  /** `sha256` (default), `sha512`, or `sha1` (for tests of the refusal). */
  algorithm?: 'sha1' | 'sha256' | 'sha512';
  /** Recipient of the bearer confirmation; default `destination`. */
  recipient?: string;
  sessionIndex?: string;
}

const SIG_ALGS = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
} as const;
const DIGESTS = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildSamlResponse(spec: ResponseSpec): string {
  const now = spec.issueInstant ?? Date.now();
  const notBefore = spec.notBefore ?? now - 60_000;
  const notOnOrAfter = spec.notOnOrAfter ?? now + 5 * 60_000;
  const responseId = spec.responseId ?? samlId();
  const assertionId = spec.assertionId ?? samlId();
  const irt = spec.inResponseTo ? ` InResponseTo="${xmlEscape(spec.inResponseTo)}"` : '';
  const attrs = Object.entries(spec.attributes ?? {})
    .map(
      ([name, v]) =>
        `<saml:Attribute Name="${xmlEscape(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${(Array.isArray(
          v,
        )
          ? v
          : [v]
        )
          .map(
            (x) =>
              `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
              `xsi:type="xs:string">${xmlEscape(x)}</saml:AttributeValue>`,
          )
          .join('')}</saml:Attribute>`,
    )
    .join('');
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${xmlEscape(spec.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="` +
    `${xmlEscape(spec.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')}">` +
    `${xmlEscape(spec.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${irt} ` +
    `NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="` +
    `${xmlEscape(spec.recipient ?? spec.destination)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="` +
    `${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>` +
    `${xmlEscape(spec.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="` +
    `${xmlEscape(spec.sessionIndex ?? assertionId)}"><saml:AuthnContext><saml:AuthnContextClassRef>` +
    `urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport` +
    `</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`;
  const sign = spec.sign ?? 'assertion';
  const signedAssertion =
    sign === 'assertion' || sign === 'both' ? signElement(assertion, 'Assertion', spec) : assertion;
  const response =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="${responseId}" Version="2.0" IssueInstant="${iso(now)}" Destination="${xmlEscape(spec.destination)}"${irt}>` +
    `<saml:Issuer>${xmlEscape(spec.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    signedAssertion +
    `</samlp:Response>`;
  return sign === 'response' || sign === 'both' ? signElement(response, 'Response', spec) : response;
}

/** Signs the document's root element (`Assertion` or `Response`), the signature placed after its Issuer. */
function signElement(xml: string, root: 'Assertion' | 'Response', spec: ResponseSpec): string {
  const alg = spec.algorithm ?? 'sha256';
  const sig = new SignedXml({
    privateKey: spec.privateKey,
    publicCert: spec.certificate,
    signatureAlgorithm: SIG_ALGS[alg],
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: `/*[local-name(.)='${root}']`,
    digestAlgorithm: DIGESTS[alg],
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `/*[local-name(.)='${root}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}
