import type { Finding } from '../../../../shared/contract/oidc';

/**
 * The `issuer` in the discovery document must be exactly the configured issuer (OpenID Connect
 * Discovery 1.0 §4.3; RFC 8414 §3.3): otherwise every ID token's `iss` check would fail, or an
 * attacker's metadata could stand in for the real IdP's.
 */
export function checkIssuerMatch(configured: string, meta: Record<string, unknown>): Finding {
  const advertised = meta.issuer;
  if (typeof advertised !== 'string') return { check: 'issuer', level: 'error', message: 'the discovery document has no "issuer"' };
  if (advertised !== configured) {
    const hint = advertised.replace(/\/$/, '') === configured.replace(/\/$/, '') ? ' (they differ only by a trailing slash, which counts)' : '';
    return { check: 'issuer', level: 'error', message: `issuer mismatch: the IdP calls itself "${advertised}" but the IdP URL is "${configured}"${hint}` };
  }
  return { check: 'issuer', level: 'ok', message: `the IdP calls itself "${advertised}", as configured` };
}
