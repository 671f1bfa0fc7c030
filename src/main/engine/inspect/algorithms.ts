/**
 * What key each JWS algorithm needs (RFC 7518 §3.1, RFC 8037 §3.1). Used to explain a mismatch in
 * words before jose refuses it; jose still enforces the real rule when it verifies.
 */
export interface AlgorithmFamily {
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  crv?: string;
  /** HMAC: the same secret signs and verifies. */
  secret: boolean;
  label: string;
}

const rsa: AlgorithmFamily = { kty: 'RSA', secret: false, label: 'an RSA key' };
const hmac: AlgorithmFamily = { kty: 'oct', secret: true, label: 'a shared secret (HMAC)' };

export const ALGORITHMS: Readonly<Record<string, AlgorithmFamily>> = {
  HS256: hmac,
  HS384: hmac,
  HS512: hmac,
  RS256: rsa,
  RS384: rsa,
  RS512: rsa,
  PS256: rsa,
  PS384: rsa,
  PS512: rsa,
  ES256: { kty: 'EC', crv: 'P-256', secret: false, label: 'an EC P-256 key' },
  ES384: { kty: 'EC', crv: 'P-384', secret: false, label: 'an EC P-384 key' },
  ES512: { kty: 'EC', crv: 'P-521', secret: false, label: 'an EC P-521 key' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', secret: false, label: 'an Ed25519 key' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519', secret: false, label: 'an Ed25519 key' },
};

export const isKnownAlgorithm = (alg: string): boolean => Object.hasOwn(ALGORITHMS, alg);

/** A JWK's kind in words: "RSA", "EC P-256", "OKP Ed25519", "oct (shared secret)". */
export function describeJwkType(jwk: { kty?: unknown; crv?: unknown }): string {
  const kty = typeof jwk.kty === 'string' ? jwk.kty : '?';
  if (kty === 'oct') return 'oct (shared secret)';
  return typeof jwk.crv === 'string' ? `${kty} ${jwk.crv}` : kty;
}

/** Whether a JWK's type can carry `alg` (kty and curve only; jose checks the rest). */
export function jwkFitsAlgorithm(jwk: { kty?: unknown; crv?: unknown }, alg: string): boolean {
  const family = ALGORITHMS[alg];
  if (!family) return false;
  return jwk.kty === family.kty && (family.crv === undefined || jwk.crv === family.crv);
}
