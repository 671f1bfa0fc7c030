import { inflateRawSync } from 'node:zlib';

/**
 * A SAML message as it travels: HTTP-POST binding is base64 of the XML (SAML Bindings §3.5.4);
 * HTTP-Redirect binding is base64 of the DEFLATE-compressed XML (§3.4.4.1). Decoded only; SSO Desk's
 * SAML module validates signatures, this reads what was sent.
 */
export function decodeSaml(value: string): string | null {
  let bytes: Buffer;
  try {
    bytes = Buffer.from(value.replace(/\s+/g, ''), 'base64');
  } catch {
    return null;
  }
  if (bytes.length === 0) return null;
  const text = bytes.toString('utf8');
  if (/^\s*</.test(text)) return text;
  try {
    const inflated = inflateRawSync(bytes, { maxOutputLength: 4 * 1024 * 1024 }).toString('utf8');
    return /^\s*</.test(inflated) ? inflated : null;
  } catch {
    return null;
  }
}

/** The first value of an element or attribute, read with a regular expression (enough for display and matching). */
export function samlField(
  xml: string,
  what: 'Issuer' | 'StatusCode' | 'Audience' | 'Destination' | 'NameID',
): string | null {
  if (what === 'StatusCode') return /<(?:\w+:)?StatusCode\b[^>]*\bValue="([^"]+)"/.exec(xml)?.[1] ?? null;
  if (what === 'Destination') return /\bDestination="([^"]+)"/.exec(xml)?.[1] ?? null;
  return new RegExp(`<(?:\\w+:)?${what}\\b[^>]*>([^<]*)<`).exec(xml)?.[1]?.trim() ?? null;
}
