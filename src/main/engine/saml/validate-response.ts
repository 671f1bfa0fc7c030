import { SAML as NodeSaml, ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import type { SamlCheck } from '@shared/contract/saml';
import { isSha1Algorithm } from '@shared/saml-config';
import {
  DSIG,
  SAML,
  SAMLP,
  XmlRefused,
  children,
  decodeSamlText,
  descendants,
  hasComment,
  parseXmlSafely,
} from './xml-safety';

/** What the SP expects of a SAMLResponse for one account (and, SP-initiated, one AuthnRequest). */
export interface ResponseExpectation {
  spEntityId: string;
  acsUrl: string;
  idpEntityId: string;
  /** PEM certificates the signature must verify with (several during a rollover). */
  certificates: string[];
  allowSha1: boolean;
  clockSkewSeconds: number;
  /** The ID of the AuthnRequest this answers; null when none is outstanding. */
  requestId: string | null;
  allowIdpInitiated: boolean;
  /** `nameid` or the name of the attribute carrying the user's email. */
  userAttribute: string;
  /** The SP private key (PEM) for encrypted assertions, if the account has one. */
  spPrivateKey: string | null;
  now: number;
  /**
   * The replay cache: true when the assertion ID is new (and is now remembered), false for a replay.
   * Absent (the Inspector): the check is skipped.
   */
  remember?: (assertionId: string, expiresAt: number) => boolean;
}

export interface ResponseVerdict {
  ok: boolean;
  /** Stable code of the first failure ('ok' when none). */
  code: string;
  /** The first failure in words, or the success sentence. */
  reason: string;
  checks: SamlCheck[];
  xml: string;
  /** The asserted user (NameID or the chosen attribute), once the signature verified. */
  user?: string;
  nameId?: string;
  issuer?: string;
  assertionId?: string;
  attributes?: Record<string, unknown>;
}

class Refusal extends Error {
  constructor(
    readonly check: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Pre-checks on the unverified document: they only ever refuse; acceptance needs the signature.
 *
 * Long because its refusals come in the order the document is read, and the order is the defence: the wrapping
 * checks run before anything reads the assertion.
 */
function checkShape(doc: Document, exp: ResponseExpectation, checks: SamlCheck[]): Element {
  const root = doc.documentElement;
  if (root.namespaceURI !== SAMLP || root.localName !== 'Response')
    throw new Refusal(
      'message',
      'not_a_response',
      `this is a ${root.localName}, not a samlp:Response: the ACS accepts only SAML responses`,
    );
  checks.push({ check: 'message', result: 'ok', reason: 'a samlp:Response' });
  if (hasComment(root))
    throw new Refusal(
      'comments',
      'xml_comment',
      'the message carries an XML comment (e.g. inside the NameID): refused, since signatures ' +
        'ignore comments and a comment can cut a user name in two',
    );
  // XML signature wrapping (XSW): exactly one assertion, in its place, and no two elements with one ID.
  const assertions = descendants(root, SAML, 'Assertion');
  const direct = children(root, SAML, 'Assertion');
  const encrypted = children(root, SAML, 'EncryptedAssertion');
  if (assertions.length + encrypted.length > 1)
    throw new Refusal(
      'wrapping',
      'signature_wrapping',
      `the message carries ${assertions.length + encrypted.length} assertions: refused as ` +
        `XML signature wrapping (a signed assertion beside or inside a forged one)`,
    );
  if (assertions.length === 1 && direct.length !== 1)
    throw new Refusal(
      'wrapping',
      'signature_wrapping',
      'the assertion is not a direct child of the Response (it sits inside another element): refused as XML signature wrapping',
    );
  const ids = new Map<string, number>();
  const all = root.getElementsByTagName('*') as unknown as ArrayLike<Element>;
  for (const el of [root, ...Array.from(all)]) {
    const id = el.getAttribute('ID');
    if (id) ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  const dup = [...ids].find(([, n]) => n > 1);
  if (dup)
    throw new Refusal(
      'wrapping',
      'signature_wrapping',
      `two elements carry the same ID "${dup[0]}": refused as XML signature wrapping`,
    );
  for (const sig of descendants(root, DSIG, 'Signature')) {
    const parent = sig.parentNode as Element | null;
    const ref = descendants(sig, DSIG, 'Reference')[0]?.getAttribute('URI') ?? '';
    const own = parent?.getAttribute('ID');
    if (!parent || !own || ref !== `#${own}`)
      throw new Refusal(
        'wrapping',
        'signature_wrapping',
        `a signature refers to "${ref}" but is not inside the element it signs: refused as XML signature wrapping`,
      );
  }
  checks.push({
    check: 'wrapping',
    result: 'ok',
    reason: 'one assertion, in its place; each signature inside the element it signs; IDs unique',
  });
  // Algorithms: RSA-SHA256 or better; SHA-1 only where the account switched it on.
  // Only the signatures' own methods: the RSA-OAEP key transport of an encrypted assertion names a
  // DigestMethod too (its mask function's hash), which says nothing about the signature.
  const algs = descendants(root, DSIG, 'Signature').flatMap((sig) => [
    ...descendants(sig, DSIG, 'SignatureMethod').map((e) => e.getAttribute('Algorithm') ?? ''),
    ...descendants(sig, DSIG, 'DigestMethod').map((e) => e.getAttribute('Algorithm') ?? ''),
  ]);
  if (encrypted.length === 0 && algs.length === 0)
    throw new Refusal(
      'signature',
      'unsigned',
      'the message is not signed: neither the Response nor the Assertion carries a signature',
    );
  const sha1 = algs.filter(isSha1Algorithm);
  if (sha1.length && !exp.allowSha1)
    throw new Refusal(
      'algorithm',
      'weak_algorithm',
      `the IdP signed with SHA-1 (${sha1[0]}): refused; configure RSA-SHA256 at the IdP, or switch on "Accept SHA-1" for this account`,
    );
  checks.push({
    check: 'algorithm',
    result: 'ok',
    reason:
      algs.length === 0
        ? 'checked after decryption'
        : sha1.length
          ? `SHA-1 accepted because "Accept SHA-1" is on for this account (${[...new Set(algs)].map(short).join(', ')})`
          : [...new Set(algs)].map(short).join(', '),
  });
  // Status: an IdP error ends here, in the IdP's words.
  const status = descendants(root, SAMLP, 'StatusCode')[0]?.getAttribute('Value') ?? '';
  if (status && !status.endsWith(':Success')) {
    const nested = descendants(root, SAMLP, 'StatusCode')[1]?.getAttribute('Value');
    const msg = descendants(root, SAMLP, 'StatusMessage')[0]?.textContent?.trim();
    throw new Refusal(
      'status',
      'idp_error',
      `the IdP answered ${short(status)}${nested ? ` / ${short(nested)}` : ''}${msg ? `: “${msg}”` : ''}`,
    );
  }
  const destination = root.getAttribute('Destination');
  if (destination !== null && destination !== '' && destination !== exp.acsUrl)
    throw new Refusal(
      'destination',
      'wrong_destination',
      `the Response is addressed to ${destination}, not to this ACS (${exp.acsUrl})`,
    );
  checks.push({
    check: 'destination',
    result: destination ? 'ok' : 'skip',
    reason: destination ? `addressed to ${destination}` : 'the Response names no Destination',
  });
  const inResponseTo = root.getAttribute('InResponseTo') || null;
  checkInResponseTo(inResponseTo, exp, 'Response', checks);
  return root;
}

function checkInResponseTo(value: string | null, exp: ResponseExpectation, where: string, checks: SamlCheck[]): void {
  if (value === null) {
    if (exp.requestId !== null && !exp.allowIdpInitiated)
      throw new Refusal(
        'in_response_to',
        'idp_initiated',
        `the ${where} answers no AuthnRequest (IdP-initiated sign-in), which this account refuses; start the sign-in from SSO Desk`,
      );
    if (exp.requestId === null && !exp.allowIdpInitiated)
      throw new Refusal(
        'in_response_to',
        'idp_initiated',
        'IdP-initiated sign-in is refused for this account (switch it on in Settings › Security › SSO, with its warning)',
      );
    checks.push({
      check: 'in_response_to',
      result: 'ok',
      reason: `IdP-initiated (${where} answers no AuthnRequest): allowed for this account`,
    });
    return;
  }
  if (exp.requestId === null)
    throw new Refusal(
      'in_response_to',
      'wrong_in_response_to',
      `the ${where} answers AuthnRequest ${value}, but no sign-in from SSO Desk is waiting for it`,
    );
  if (value !== exp.requestId)
    throw new Refusal(
      'in_response_to',
      'wrong_in_response_to',
      `the ${where} answers AuthnRequest ${value}, not the one this sign-in sent (${exp.requestId})`,
    );
  checks.push({ check: 'in_response_to', result: 'ok', reason: `the ${where} answers this sign-in’s AuthnRequest` });
}

const short = (uri: string): string => uri.replace(/^.*[#:]/, '');

/** node-saml's errors, said for an admin. */
function wordLibraryError(error: Error, exp: ResponseExpectation): Refusal {
  const m = error.message;
  if (/not yet valid/i.test(m))
    return new Refusal(
      'time',
      'not_yet_valid',
      `the assertion is not valid yet (its NotBefore is later than now + the ${exp.clockSkewSeconds} ` +
        `s clock skew allowed): check the IdP’s and this computer’s clocks`,
    );
  if (/expired/i.test(m))
    return new Refusal(
      'time',
      'expired',
      `the assertion has expired (its NotOnOrAfter passed, beyond the ${exp.clockSkewSeconds} s clock skew allowed)`,
    );
  if (/audience|AudienceRestriction/i.test(m))
    return new Refusal(
      'audience',
      'wrong_audience',
      `the assertion is meant for another service provider (${m.replace(/^.*Received: /, '') || 'no audience'}), not for ${exp.spEntityId}`,
    );
  if (/multiple assertions|too many|Too many signatures/i.test(m))
    return new Refusal('wrapping', 'signature_wrapping', `refused as XML signature wrapping (${m})`);
  if (/decrypt|EncryptedAssertion|decryption|oaep|rsa routines/i.test(m))
    return new Refusal(
      'decryption',
      'decryption_failed',
      exp.spPrivateKey
        ? `the encrypted assertion does not decrypt with this account’s SP key (${m}): the IdP may hold an old SP certificate`
        : 'the assertion is encrypted but this account has no SP key: generate one and give its certificate to the IdP',
    );
  if (/signature|signed/i.test(m))
    return new Refusal(
      'signature',
      'bad_signature',
      `the signature does not verify with ` +
        `${exp.certificates.length === 1 ? 'the IdP certificate' : `any of the ${exp.certificates.length} IdP certificates`} ` +
        `configured for this account: signed by another key (a certificate not in the IdP ` +
        `metadata), stripped, or changed after signing`,
    );
  if (/Missing SAML assertion/i.test(m))
    return new Refusal('assertion', 'no_assertion', 'the Response carries no assertion');
  return new Refusal('signature', 'invalid_response', `the Response was refused: ${m}`);
}

/**
 * Validates a SAMLResponse as a careful SP does (SAML 2.0 Profiles §4.1.4.3, §4.1.4.5): shape and
 * XML signature wrapping, algorithm, status, Destination, InResponseTo, then the signature of the
 * Response or the Assertion by `@node-saml/node-saml` (xml-crypto), audience and time window with the
 * account's clock skew; then, on the signed assertion only: Issuer, Recipient, the bearer
 * confirmation's own InResponseTo and NotOnOrAfter, the replay cache, and the user. Never throws on a
 * bad message: every refusal is a verdict with its reason in words.
 */
export async function validateSamlResponse(text: string, exp: ResponseExpectation): Promise<ResponseVerdict> {
  const checks: SamlCheck[] = [];
  let xml = '';
  try {
    try {
      xml = decodeSamlText(text);
    } catch (error) {
      throw new Refusal('decode', (error as XmlRefused).code ?? 'not_base64', (error as Error).message);
    }
    let doc: Document;
    try {
      doc = parseXmlSafely(xml, 'the SAMLResponse');
    } catch (error) {
      throw new Refusal('xml', (error as XmlRefused).code ?? 'not_xml', (error as Error).message);
    }
    checks.push({ check: 'xml', result: 'ok', reason: `${xml.length} bytes of well-formed XML, no DTD` });
    checkShape(doc, exp, checks);

    const saml = new NodeSaml({
      idpCert: exp.certificates,
      issuer: exp.spEntityId,
      audience: exp.spEntityId,
      callbackUrl: exp.acsUrl,
      wantAssertionsSigned: false,
      wantAuthnResponseSigned: false,
      acceptedClockSkewMs: exp.clockSkewSeconds * 1000,
      validateInResponseTo: ValidateInResponseTo.never,
      ...(exp.spPrivateKey ? { decryptionPvk: exp.spPrivateKey } : {}),
    });
    let profile: Profile | null;
    try {
      ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml).toString('base64') }));
    } catch (error) {
      throw wordLibraryError(error as Error, exp);
    }
    if (!profile) throw new Refusal('assertion', 'no_assertion', 'the Response carries no assertion');
    checks.push({
      check: 'signature',
      result: 'ok',
      reason: `signature verified with the IdP certificate (${exp.certificates.length} configured)`,
    });
    checks.push({ check: 'audience', result: 'ok', reason: `meant for ${exp.spEntityId}` });
    checks.push({
      check: 'time',
      result: 'ok',
      reason: `within NotBefore / NotOnOrAfter (clock skew ${exp.clockSkewSeconds} s)`,
    });
    return await checkAssertion(profile, exp, checks, xml);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    checks.push({ check: error.check, result: 'fail', reason: error.message });
    return { ok: false, code: error.code, reason: error.message, checks, xml };
  }
}

/** The checks on the verified assertion (what node-saml returned from signed XML only). */
async function checkAssertion(
  profile: Profile,
  exp: ResponseExpectation,
  checks: SamlCheck[],
  xml: string,
): Promise<ResponseVerdict> {
  const assertionXml = profile.getAssertionXml?.() ?? '';
  const assertion = parseXmlSafely(assertionXml, 'the assertion').documentElement;
  if (hasComment(assertion))
    throw new Refusal('comments', 'xml_comment', 'the assertion carries an XML comment: refused');
  const issuer = children(assertion, SAML, 'Issuer')[0]?.textContent?.trim() ?? '';
  if (issuer !== exp.idpEntityId)
    throw new Refusal(
      'issuer',
      'wrong_issuer',
      `the assertion was issued by ${issuer || '(no Issuer)'}, not by this account’s IdP (${exp.idpEntityId})`,
    );
  checks.push({ check: 'issuer', result: 'ok', reason: `issued by ${issuer}` });
  const subject = children(assertion, SAML, 'Subject')[0];
  const bearer = subject
    ? children(subject, SAML, 'SubjectConfirmation').find(
        (c) => c.getAttribute('Method') === 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
      )
    : undefined;
  const data = bearer ? children(bearer, SAML, 'SubjectConfirmationData')[0] : undefined;
  if (!data)
    throw new Refusal(
      'recipient',
      'no_bearer',
      'the assertion has no bearer SubjectConfirmation (Web Browser SSO Profile §4.1.4.2)',
    );
  const recipient = data.getAttribute('Recipient') ?? '';
  if (recipient !== exp.acsUrl)
    throw new Refusal(
      'recipient',
      'wrong_recipient',
      `the assertion is for the Recipient ${recipient || '(none)'}, not this ACS (${exp.acsUrl})`,
    );
  checks.push({ check: 'recipient', result: 'ok', reason: `Recipient is this ACS (${recipient})` });
  const confirmNotOnOrAfter = Date.parse(data.getAttribute('NotOnOrAfter') ?? '');
  const skew = exp.clockSkewSeconds * 1000;
  if (!Number.isFinite(confirmNotOnOrAfter))
    throw new Refusal('time', 'expired', 'the bearer confirmation has no NotOnOrAfter');
  if (exp.now >= confirmNotOnOrAfter + skew)
    throw new Refusal(
      'time',
      'expired',
      `the bearer confirmation expired at ${iso(confirmNotOnOrAfter)} (clock skew ${exp.clockSkewSeconds} s)`,
    );
  checkInResponseTo(data.getAttribute('InResponseTo') || null, exp, 'assertion', checks);
  const assertionId = assertion.getAttribute('ID') ?? '';
  if (exp.remember) {
    if (!exp.remember(assertionId, confirmNotOnOrAfter + skew))
      throw new Refusal(
        'replay',
        'replayed',
        `assertion ${assertionId} was already used to sign in: refused as a replay`,
      );
    checks.push({ check: 'replay', result: 'ok', reason: `assertion ${assertionId} is used for the first time` });
  } else checks.push({ check: 'replay', result: 'skip', reason: 'not consumed here (Inspector)' });
  const attributes = (profile.attributes as Record<string, unknown> | undefined) ?? {};
  const nameId = profile.nameID;
  let user: string | undefined;
  if (exp.userAttribute === 'nameid') user = nameId;
  else {
    const v = attributes[exp.userAttribute];
    user = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
  }
  if (!user)
    throw new Refusal(
      'user',
      'user_missing',
      exp.userAttribute === 'nameid'
        ? 'the assertion has no NameID'
        : `the assertion has no attribute "${exp.userAttribute}" (it has: ${Object.keys(attributes).join(', ') || 'none'})`,
    );
  checks.push({
    check: 'user',
    result: 'ok',
    reason: `the IdP asserts ${user} (${exp.userAttribute === 'nameid' ? 'NameID' : `attribute ${exp.userAttribute}`})`,
  });
  return {
    ok: true,
    code: 'ok',
    reason: `valid SAML response from ${issuer} for ${user}`,
    checks,
    xml,
    user,
    nameId,
    issuer,
    assertionId,
    attributes,
  };
}
