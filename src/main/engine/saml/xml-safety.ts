import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { MAX_SAML_RESPONSE_BYTES } from '@shared/saml-config';

/** A SAML message or metadata document that cannot be read safely; the message names what is wrong. */
export class XmlRefused extends Error {
  constructor(
    readonly code: 'too_large' | 'not_xml' | 'doctype' | 'not_base64',
    message: string,
  ) {
    super(message);
    this.name = 'XmlRefused';
  }
}

/**
 * Parses XML with no DTD at all: a document with a DOCTYPE (and so any entity declaration — the
 * "billion laughs" expansion, external entities) is refused before the parser sees it. SAML messages
 * and metadata never need a DTD (SAML 2.0 Bindings §3.5.4 lets the SP refuse them).
 * @throws XmlRefused `doctype` | `not_xml`.
 */
export function parseXmlSafely(xml: string, what: string): Document {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml))
    throw new XmlRefused('doctype', `${what} declares a DOCTYPE or entities; refused (no entity expansion)`);
  let problem: string | null = null;
  const doc = new DOMParser({
    locator: {},
    // xmldom only warns about what XML 1.0 calls fatal (an unclosed attribute, an attribute without a
    // value or quotes); a careful SP reads well-formed XML only, so its warnings refuse the document too.
    errorHandler: {
      warning: (m: string) => void (problem ??= m),
      error: (m: string) => void (problem ??= m),
      fatalError: (m: string) => void (problem ??= m),
    },
  }).parseFromString(xml, 'text/xml');
  if (problem !== null || !doc?.documentElement)
    throw new XmlRefused(
      'not_xml',
      `${what} is not well-formed XML (${problem ? describeXmlProblem(problem) : 'it has no root element'})`,
    );
  return doc as unknown as Document;
}

/** xmldom's messages, in words an admin can act on, with the place it names (line and column). */
const XMLDOM_WORDS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  // xmldom says "unclosed xml attribute" when an element is left open.
  [/unclosed xml attribute/, () => 'an element is not closed'],
  [/attribute "(.+?)" missed start quot/, (m) => `the value of attribute ${m[1]} does not start with a quote`],
  [/attribute "(.+?)" missed quot/, (m) => `the attribute value ${m[1]} is not in quotes`],
  [/attribute "(.+?)" missed value/, (m) => `attribute ${m[1]} has no value`],
  [/attribute space is required"(.+?)"/, (m) => `a space is missing after attribute ${m[1]}`],
  [/attribute value must after "="/, () => 'an attribute has "=" but no value'],
  [/attribute value no end '"' match/, () => 'an attribute value has no closing quote'],
  [/entity not found:(&[^;\s]+;)/, (m) => `${m[1]} is not an XML entity`],
  [/Only one element can be added/, () => 'there is more than one root element'],
  [/attribute invalid close char\('(.)'\)/, (m) => `an attribute has "${m[1]}" where its value should be`],
  [/invalid doc source/, () => 'the document is empty'],
];

function describeXmlProblem(message: string): string {
  const [first = '', where = ''] = message.split('\n');
  const text = first.replace(/^\[xmldom \w+\]\s*/, '').replace(/^element parse error: (Error: )?/, '');
  const rule = XMLDOM_WORDS.map(([re, say]) => {
    const m = re.exec(text);
    return m ? say(m) : null;
  }).find((w) => w !== null);
  const at = /line:(\d+),col:(\d+)/.exec(where);
  const place = at && at[1] !== '0' ? ` near line ${at[1]}, column ${at[2]}` : '';
  return `${(rule ?? text).slice(0, 160)}${place}`;
}

/**
 * A SAML message as a person or the HTTP-POST binding gives it: base64 (SAML 2.0 Bindings §3.5.4),
 * base64 of DEFLATE (HTTP-Redirect binding §3.4.4.1, for an AuthnRequest copied from a URL), or the
 * XML itself. Bounded before it is decoded.
 * @throws XmlRefused `too_large` | `not_base64`.
 */
export function decodeSamlText(text: string): string {
  if (text.length > MAX_SAML_RESPONSE_BYTES)
    throw new XmlRefused(
      'too_large',
      `the SAML message is ${(text.length / 1024 / 1024).toFixed(1)} MB; at most ${MAX_SAML_RESPONSE_BYTES / 1024 / 1024} MB is read`,
    );
  const trimmed = text.trim();
  if (trimmed.startsWith('<')) return trimmed;
  let b64 = trimmed;
  // A whole redirect URL or a query string pasted: take its SAMLRequest / SAMLResponse parameter.
  const param = /(?:^|[?&])SAML(?:Request|Response)=([^&]+)/.exec(trimmed);
  if (param) b64 = decodeURIComponent(param[1]!);
  b64 = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64))
    throw new XmlRefused('not_base64', 'the SAML message is neither XML nor base64');
  const bytes = Buffer.from(b64, 'base64');
  const asText = bytes.toString('utf8');
  if (asText.trimStart().startsWith('<')) return asText;
  try {
    return inflateRawSync(bytes, { maxOutputLength: MAX_SAML_RESPONSE_BYTES }).toString('utf8');
  } catch {
    throw new XmlRefused('not_base64', 'the SAML message decodes to neither XML nor DEFLATE-compressed XML');
  }
}

export const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

/** The child elements of `parent` with this namespace and local name (direct children only). */
export function children(parent: Element | Document, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local)
      out.push(n as Element);
  return out;
}

/** Every descendant element with this namespace and local name. */
export const descendants = (parent: Element | Document, ns: string, local: string): Element[] =>
  Array.from(parent.getElementsByTagNameNS(ns, local) as unknown as ArrayLike<Element>);

/** Whether any comment node is inside `node` (comment truncation of NameID, CVE-2017-11427 family). */
export function hasComment(node: Node): boolean {
  for (let n = node.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 8) return true;
    if (n.nodeType === 1 && hasComment(n)) return true;
  }
  return false;
}

/** A SAML ID (xs:ID: starts with a letter or underscore), 160 random bits. */
export const samlId = (): string => `_${randomBytes(20).toString('hex')}`;

/** Text for an XML attribute or element (and so for HTML): the five predefined entities. */
export const xmlEscape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
