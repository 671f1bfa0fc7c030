import type { Finding } from '@shared/contract/oidc';
import { matchIssuer } from '@shared/issuer-match';

/**
 * The `issuer` in the discovery document must be exactly the configured issuer (OpenID Connect
 * Discovery 1.0 §4.3; RFC 8414 §3.3): otherwise every ID token's `iss` check would fail, or an
 * attacker's metadata could stand in for the real IdP's. Two Microsoft Entra ID shapes are accepted
 * and said: a tenant typed as a domain (discovery reports the canonical GUID issuer) and a
 * multi-tenant `{tenantid}` template (filled per token from `tid`).
 */
export function checkIssuerMatch(configured: string, meta: Record<string, unknown>): Finding {
  const advertised = meta.issuer;
  if (typeof advertised !== 'string')
    return { check: 'issuer', level: 'error', message: 'the discovery document has no "issuer"' };
  const match = matchIssuer(configured, advertised);
  if (match.kind === 'tenant_resolved') {
    return {
      check: 'issuer',
      level: 'ok',
      message:
        `the tenant "${match.tenant}" resolves to the canonical issuer "${match.canonical}" ` +
        `(tenant ID ${match.tenantId}): ID tokens are checked against it`,
    };
  }
  if (match.kind === 'multi_tenant') {
    return {
      check: 'issuer',
      level: 'ok',
      message:
        `"${match.tenant}" is multi-tenant: the issuer "${match.template}" is filled from ` +
        `each token's tid (a tenant GUID), and the signing key's issuer is checked`,
    };
  }
  if (match.kind === 'mismatch') {
    const hint =
      advertised.replace(/\/$/, '') === configured.replace(/\/$/, '')
        ? ' (they differ only by a trailing slash, which counts)'
        : '';
    return {
      check: 'issuer',
      level: 'error',
      message: `issuer mismatch: the IdP calls itself "${advertised}" but the IdP URL is "${configured}"${hint}`,
    };
  }
  return { check: 'issuer', level: 'ok', message: `the IdP calls itself "${advertised}", as configured` };
}
