import type { Finding } from '@shared/contract/oidc';
import { PEM_ALGORITHMS } from '@shared/contract/inspect';

/**
 * Algorithms SSO Desk verifies ID tokens with: the public-key JWS algorithms, as the inspector pins them. Never
 * `none`, never HS* (a public client holds no shared key).
 */
export const ACCEPTED_ALGS = PEM_ALGORITHMS;

const KTY_OF: Record<string, string> = { RS: 'RSA', PS: 'RSA', ES: 'EC', Ed: 'OKP' };

const ktyFor = (alg: string): string | undefined => KTY_OF[alg.slice(0, 2)];

/**
 * There must be a key the ID token can be verified with: an algorithm the IdP signs ID tokens with
 * (`id_token_signing_alg_values_supported`, OpenID Connect Discovery 1.0 §3; RS256 when absent) that
 * SSO Desk accepts, and a JWK in the JWKS (RFC 7517) of the matching type, meant for signatures.
 * Keys for encryption or other algorithms in the same set are fine: only one usable key is needed.
 */
export function checkSigningKeys(meta: Record<string, unknown>, jwks: Record<string, unknown>): Finding {
  const advertised = Array.isArray(meta.id_token_signing_alg_values_supported)
    ? (meta.id_token_signing_alg_values_supported as unknown[]).filter((a): a is string => typeof a === 'string')
    : ['RS256'];
  const algs = advertised.filter((a) => (ACCEPTED_ALGS as readonly string[]).includes(a));
  if (algs.length === 0) {
    return {
      check: 'signing_key',
      level: 'error',
      message:
        `no usable signing algorithm: the IdP signs ID tokens with ${advertised.join(', ') || 'nothing'}, ` +
        `SSO Desk accepts ${ACCEPTED_ALGS.join(', ')}`,
    };
  }
  const keys = Array.isArray(jwks.keys) ? (jwks.keys as Array<Record<string, unknown>>) : [];
  if (keys.length === 0)
    return { check: 'signing_key', level: 'error', message: 'no usable signing key: the JWKS has no keys' };
  const usable = keys.filter(
    (k) =>
      (k.use === undefined || k.use === 'sig') &&
      algs.some((alg) => ktyFor(alg) === k.kty && (k.alg === undefined || k.alg === alg)),
  );
  if (usable.length === 0) {
    const kinds = keys
      .map((k) => `${String(k.kty)}${k.alg ? `/${String(k.alg)}` : ''}${k.use ? ` (${String(k.use)})` : ''}`)
      .join(', ');
    return {
      check: 'signing_key',
      level: 'error',
      message: `no usable signing key: the JWKS holds ${kinds}, none fit ${algs.join(', ')}`,
    };
  }
  const first = usable[0]!;
  return {
    check: 'signing_key',
    level: 'ok',
    message:
      `${usable.length} signing key${usable.length > 1 ? 's' : ''} usable (e.g. ` +
      `${String(first.kty)}${first.kid ? ` kid ${String(first.kid)}` : ''}) ` +
      `for ${algs.join(', ')}`,
  };
}
