import type { Db } from '../../store/db';
import { getSaml } from '../../store/sso-saml';
import { notFound } from '@shared/errors';
import type { SamlCheck, SamlInspection } from '@shared/contract/saml';
import { acsUrl, spEntityId } from '@shared/saml-config';
import { SAML, SAMLP, XmlRefused, children, decodeSamlText, descendants, parseXmlSafely } from './xml-safety';
import { validateSamlResponse } from './validate-response';
import { redactSamlXml } from './redact-xml';

const text = (el: Element | undefined): string => el?.textContent?.trim() ?? '';
const iso = (s: string | null): string => (s ? `${s} (${relative(Date.parse(s))})` : '');
const relative = (ms: number): string => {
  if (!Number.isFinite(ms)) return 'not a time';
  const m = Math.round((ms - Date.now()) / 60_000);
  return m === 0 ? 'now' : m > 0 ? `in ${m} min` : `${-m} min ago`;
};

/**
 * The Inspector's SAML tab: a SAMLResponse or an AuthnRequest (base64, DEFLATE+base64 from a URL, or
 * XML) decoded, its facts and conditions in words; with an account, a response is checked as that
 * account's ACS would check it (signature against its IdP certificates), without using it up.
 *
 * Long because it explains a message in the order a reader meets it (decode, kind, issuer, conditions, signature);
 * each part is a few lines of words.
 */
export async function inspectSaml(
  db: Db,
  input: { text: string; account?: string | undefined },
  now: number,
): Promise<SamlInspection> {
  let xml: string;
  let doc: Document;
  try {
    xml = decodeSamlText(input.text);
    doc = parseXmlSafely(xml, 'the message');
  } catch (error) {
    const reason = error instanceof XmlRefused ? error.message : (error as Error).message;
    return {
      kind: 'unknown',
      xml: '',
      facts: [],
      checks: [{ check: 'decode', result: 'fail', reason }],
      verdict: reason,
      ok: false,
    };
  }
  const root = doc.documentElement;
  const facts: Array<{ name: string; value: string }> = [];
  const add = (name: string, value: string | null | undefined) => value && facts.push({ name, value });
  if (root.namespaceURI === SAMLP && root.localName === 'AuthnRequest') {
    add('ID', root.getAttribute('ID'));
    add('Issuer (SP)', text(children(root, SAML, 'Issuer')[0]));
    add('Destination', root.getAttribute('Destination'));
    add('AssertionConsumerServiceURL', root.getAttribute('AssertionConsumerServiceURL'));
    add('ProtocolBinding', root.getAttribute('ProtocolBinding'));
    add('NameIDPolicy Format', children(root, SAMLP, 'NameIDPolicy')[0]?.getAttribute('Format'));
    add('ForceAuthn', root.getAttribute('ForceAuthn'));
    add('IssueInstant', iso(root.getAttribute('IssueInstant')));
    const checks: SamlCheck[] = [
      {
        check: 'signature',
        result: 'skip',
        reason: 'AuthnRequests by HTTP-Redirect are usually unsigned; SSO Desk does not sign them',
      },
    ];
    return {
      kind: 'authn_request',
      xml: redactSamlXml(xml),
      facts,
      checks,
      verdict: `an AuthnRequest from ${text(children(root, SAML, 'Issuer')[0]) || 'an SP'}`,
      ok: true,
    };
  }
  if (root.namespaceURI !== SAMLP || root.localName !== 'Response')
    return {
      kind: 'unknown',
      xml: redactSamlXml(xml),
      facts,
      checks: [
        {
          check: 'message',
          result: 'fail',
          reason: `a ${root.localName}: neither a samlp:Response nor an AuthnRequest`,
        },
      ],
      verdict: `not a SAML message SSO Desk reads (${root.localName})`,
      ok: false,
    };
  const assertion = descendants(root, SAML, 'Assertion')[0];
  add('Issuer', text(children(root, SAML, 'Issuer')[0]) || text(assertion && children(assertion, SAML, 'Issuer')[0]));
  add('Destination', root.getAttribute('Destination'));
  add('InResponseTo', root.getAttribute('InResponseTo'));
  add('Status', descendants(root, SAMLP, 'StatusCode')[0]?.getAttribute('Value')?.replace(/^.*:/, ''));
  if (assertion) {
    add('Assertion ID', assertion.getAttribute('ID'));
    const nameId = descendants(assertion, SAML, 'NameID')[0];
    add('NameID', text(nameId));
    add('NameID Format', nameId?.getAttribute('Format'));
    const cond = descendants(assertion, SAML, 'Conditions')[0];
    add('NotBefore', iso(cond?.getAttribute('NotBefore') ?? null));
    add('NotOnOrAfter', iso(cond?.getAttribute('NotOnOrAfter') ?? null));
    add(
      'Audience',
      descendants(assertion, SAML, 'Audience')
        .map((a) => text(a))
        .join(', '),
    );
    add('Recipient', descendants(assertion, SAML, 'SubjectConfirmationData')[0]?.getAttribute('Recipient'));
    for (const a of descendants(assertion, SAML, 'Attribute'))
      add(
        `Attribute ${a.getAttribute('Name')}`,
        descendants(a, SAML, 'AttributeValue')
          .map((v) => text(v))
          .join(', '),
      );
  } else if (descendants(root, SAML, 'EncryptedAssertion').length) add('Assertion', 'encrypted (EncryptedAssertion)');
  if (!input.account) {
    return {
      kind: 'response',
      xml: redactSamlXml(xml),
      facts,
      checks: [
        {
          check: 'signature',
          result: 'skip',
          reason: 'choose an account to check the signature against its IdP certificates',
        },
      ],
      verdict: 'decoded; not checked (no account chosen)',
      ok: true,
    };
  }
  const cfg = getSaml(db, input.account);
  if (!cfg) throw notFound(`account "${input.account}" has no SAML settings`);
  const v = await validateSamlResponse(xml, {
    spEntityId: spEntityId(input.account),
    acsUrl: acsUrl(cfg.acsPort),
    idpEntityId: cfg.idpEntityId,
    certificates: cfg.idpCerts,
    allowSha1: cfg.allowSha1,
    clockSkewSeconds: cfg.clockSkewSeconds,
    // The Inspector has no AuthnRequest: the response's own InResponseTo is taken as the expected one.
    requestId: root.getAttribute('InResponseTo') || null,
    allowIdpInitiated: true,
    userAttribute: cfg.userAttribute,
    spPrivateKey: null,
    now,
  });
  const checks = v.checks.map((c) =>
    c.check === 'in_response_to'
      ? { ...c, result: 'skip' as const, reason: 'not checked here: the Inspector did not send the AuthnRequest' }
      : c,
  );
  return {
    kind: 'response',
    xml: redactSamlXml(xml),
    facts,
    checks,
    verdict: v.ok
      ? `this response would be accepted for ${input.account}: ${v.reason}`
      : `this response would be refused for ${input.account}: ${v.reason}`,
    ok: v.ok,
  };
}
