import { decodeProtectedHeader } from 'jose';
import { findIllFormed, MAX_JSON_DEPTH } from '@shared/well-formed';

/**
 * What a pasted string is, decided by its compact serialization (RFC 7515 §7.1, RFC 7516 §7.1).
 * A JWS whose payload is a JSON object is read as a JWT claims set; any other payload (RFC 7515's
 * and RFC 7520's examples sign plain text) is kept as text: it is still a JWS, and its signature can
 * still be verified. Only a header that claims `typ: JWT` promises a JSON object (RFC 7519 §7.2).
 */
export type TokenShape =
  | {
      kind: 'jws';
      header: Record<string, unknown>;
      /** The payload as a JSON object, when it is one. */
      claims: Record<string, unknown> | null;
      /** The payload as UTF-8 text (always set). */
      payloadText: string;
      unsecured: boolean;
      /** "header.payload" or "header.payload." without a signature while alg is not none: cut off when copied? */
      signatureMissing: boolean;
      /** The payload begins a JSON object but stops before its end, and no signature follows: copied in part. */
      truncated: boolean;
    }
  | { kind: 'jwe'; header: Record<string, unknown> }
  | { kind: 'opaque'; why: string };

/** Tidy what people paste: surrounding space, a copied `Bearer ` prefix, line breaks inside. */
export function cleanToken(raw: string): string {
  return raw
    .trim()
    .replace(/^bearer\s+/i, '')
    .replace(/\s+/g, '');
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Strict UTF-8 decoding of a base64url part; null when it is not base64url or not UTF-8. */
function decodePart(part: string): string | null {
  if (!B64URL.test(part)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(part, 'base64url'));
  } catch {
    return null;
  }
}

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Classifies a token. Three base64url parts with a JSON header is a JWS (a JWT when its payload is a
 * JSON object); two parts with a JSON header is a JWS whose signature was cut off; five parts with a
 * JSON header carrying `enc` is a JWE; anything else is opaque. Never throws.
 */
export function readTokenShape(token: string): TokenShape {
  const parts = token.split('.');
  if (parts.length === 2 || parts.length === 3) {
    const headerText = decodePart(parts[0]!);
    const header = headerText === null ? null : jsonObject(headerText);
    if (header === null) {
      return {
        kind: 'opaque',
        why:
          `It has ${parts.length === 2 ? 'two' : 'three'} dot-separated parts like a JWT, but ` +
          `the first part is not a base64url JSON header.`,
      };
    }
    if (typeof header.alg !== 'string')
      return { kind: 'opaque', why: 'Its first part is JSON, but not a JWS header: it has no alg.' };
    let payloadText = decodePart(parts[1]!);
    const cut = parts.length === 2 || parts[2] === '';
    // Cut off mid-payload, the last base64url quantum or UTF-8 sequence may be broken: read what is there.
    if (payloadText === null && cut && B64URL.test(parts[1]!))
      payloadText = Buffer.from(parts[1]!, 'base64url').toString('utf8');
    if (payloadText === null)
      return { kind: 'opaque', why: 'It has a JWS header, but its payload is not base64url-encoded UTF-8 text.' };
    const claims = jsonObject(payloadText);
    // Claims nested deeper than any issuer sends, or with lone surrogates, are refused as unreadable.
    const ill = findIllFormed(header) ?? (claims ? findIllFormed(claims) : null);
    if (ill)
      return {
        kind: 'opaque',
        why: `Its ${ill.field || 'claims'} ${ill.message}: SSO Desk does not read a token that no issuer would send.`,
      };
    const unsecured = header.alg === 'none';
    const signatureMissing = !unsecured && cut;
    // A payload that starts a JSON object but does not end one, with no signature after it: cut off.
    const truncated = cut && claims === null && /^\s*\{/.test(payloadText);
    return { kind: 'jws', header, claims, payloadText, unsecured, signatureMissing, truncated };
  }
  if (parts.length === 5) {
    try {
      const header = decodeProtectedHeader(token) as Record<string, unknown>;
      if (typeof header.enc === 'string' && !findIllFormed(header, MAX_JSON_DEPTH)) return { kind: 'jwe', header };
    } catch {
      // falls through: five parts that do not start with a JOSE header are just an opaque string
    }
    return { kind: 'opaque', why: 'It has five dot-separated parts like a JWE, but no readable JWE header.' };
  }
  return { kind: 'opaque', why: 'It is not made of three (JWT) or five (JWE) base64url parts.' };
}

/** Whether the header says the payload is a JWT claims set (`typ` JWT, RFC 7519 §5.1; any case, with or without `application/`). */
export const claimsJwt = (header: Record<string, unknown>): boolean =>
  typeof header.typ === 'string' && /^(application\/)?jwt$/i.test(header.typ);

/** What a Platform SSO deep link looks like: `<server>/auth/sso/<token>`, or the bare 65- (or legacy 43-) character token. */
export function isDeskDeepLink(text: string): boolean {
  return /\/auth\/sso\/[A-Za-z0-9_-]{43,65}(\/|$|\?)/.test(text) || /^[A-Za-z0-9_-]{65}$/.test(text);
}

/**
 * Whether an opaque string could be a token at all: tokens are RFC 6750 b64token characters, at least
 * 16 long, and random (more than one kind of character). A word, a sentence or a few characters are not.
 */
export function couldBeOpaqueToken(text: string): boolean {
  if (text.length < 16 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(text)) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(text)).length;
  return kinds >= 2;
}
