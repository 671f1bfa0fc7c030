import { decodeJwt, decodeProtectedHeader } from 'jose';
import { findIllFormed, MAX_JSON_DEPTH } from '../../../shared/well-formed';

/** What a pasted string is, decided by its compact serialization (RFC 7515 §7.1, RFC 7516 §7.1). */
export type TokenShape =
  | { kind: 'jwt'; header: Record<string, unknown>; claims: Record<string, unknown>; unsecured: boolean }
  | { kind: 'jwe'; header: Record<string, unknown> }
  | { kind: 'opaque'; why: string };

/** Tidy what people paste: surrounding space, a copied `Bearer ` prefix, line breaks inside. */
export function cleanToken(raw: string): string {
  return raw.trim().replace(/^bearer\s+/i, '').replace(/\s+/g, '');
}

/**
 * Classifies a token. Three base64url parts with a JSON header and JSON payload is a JWS/JWT; five
 * parts with a JSON header carrying `enc` is a JWE; anything else is opaque. Decoding is jose's.
 * Never throws.
 */
export function readTokenShape(token: string): TokenShape {
  const parts = token.split('.');
  if (parts.length === 3) {
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(token) as Record<string, unknown>;
    } catch {
      return { kind: 'opaque', why: 'It has three dot-separated parts like a JWT, but the first part is not a base64url JSON header.' };
    }
    try {
      const claims = decodeJwt(token) as Record<string, unknown>;
      const ill = findIllFormed(header) ?? findIllFormed(claims);
      if (ill) return { kind: 'opaque', why: `Its ${ill.field || 'claims'} ${ill.message}: SSO Desk does not read a token that no issuer would send.` };
      return { kind: 'jwt', header, claims, unsecured: header.alg === 'none' };
    } catch {
      return { kind: 'opaque', why: 'It has a JWS header, but its payload is not a JSON claims set, so it is not a JWT.' };
    }
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
