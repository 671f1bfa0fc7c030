/**
 * Escaping of a placeholder's value for the place it lands in. Each encoder either returns text that
 * cannot leave its place (a URL component, a JSON string, a form field, XML character data, a header
 * value) or throws UnsafeValue with a reason that never quotes the value itself.
 */
export class UnsafeValue extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsafeValue';
  }
}

/** Lone surrogates cannot be encoded as UTF-8 (RFC 3629): such a value is refused, never mangled. */
export function checkWellFormed(value: string, what: string): void {
  if (/\p{Cs}/u.test(value)) throw new UnsafeValue(`${what} is not valid Unicode (lone surrogate)`);
}

/** RFC 3986 §2.3: everything but the unreserved characters is percent-encoded, as UTF-8 (§2.5). */
export const encodeUrlComponent = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The inside of a JSON string literal (RFC 8259 §7): quotes, backslashes and controls escaped. */
export const encodeJsonString = (value: string): string => JSON.stringify(value).slice(1, -1);

/** WHATWG application/x-www-form-urlencoded byte serializer: space is "+", the rest percent-encoded. */
export const encodeFormValue = (value: string): string => new URLSearchParams([['v', value]]).toString().slice(2);

// XML 1.0 §2.2 Char: what a document may carry at all, even as a character reference.
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * XML character data and attribute values (XML 1.0 §2.4, §3.3.3): markup characters as entities, and
 * TAB, LF, CR (and NEL, U+2028) as character references so that neither line-end nor attribute
 * normalisation alters them.
 * @throws UnsafeValue for a character XML 1.0 cannot carry (most C0 controls, U+FFFE, U+FFFF).
 */
export function encodeXmlText(value: string, what: string): string {
  if (XML_FORBIDDEN.test(value))
    throw new UnsafeValue(`${what} contains a control character that XML 1.0 cannot carry`);
  return value.replace(/[&<>"'\t\n\r\u0085\u2028]/g, (c) => XML_ENTITIES[c] as string);
}
const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
  // XML 1.1 parsers (and some 1.0 ones) fold NEL and LINE SEPARATOR into LF; a reference keeps them.
  '\u0085': '&#133;',
  '\u2028': '&#8232;',
};

/**
 * A header value is sent as is, but never with CR, LF or NUL (RFC 7230 §3.2.4: they would end the
 * line and let the value forge headers), nor with another control character. Text beyond ASCII is
 * allowed (a device called "Erin’s iPhone"): it goes on the wire as UTF-8 bytes (obs-text).
 */
export function checkHeaderValue(value: string, what: string): string {
  if (/[\r\n\0]/.test(value))
    throw new UnsafeValue(`${what} contains CR, LF or NUL, which could forge headers; the request was not sent`);
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  if (/[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value))
    throw new UnsafeValue(`${what} contains a control character an HTTP header cannot carry; the request was not sent`);
  return value;
}

/** The string Node writes byte for byte (latin1) so that the wire carries the value's UTF-8 bytes. */
export const headerWireValue = (value: string): string =>
  /^[\t\u0020-\u007E]*$/.test(value) ? value : Buffer.from(value, 'utf8').toString('latin1');
