/**
 * How the issuer a discovery document reports relates to the IdP URL the admin typed. Pure.
 * - `same`: equal, as OpenID Connect Discovery 1.0 §4.3 asks.
 * - `tenant_resolved`: Microsoft Entra ID given a tenant's domain (`contoso.com`) reports its
 *   canonical issuer with the tenant GUID in the same place; tokens carry that one.
 * - `multi_tenant`: `common` / `organizations` / `consumers` publish a `{tenantid}` template, filled
 *   per token from its `tid` (Microsoft's rule for multi-tenant apps).
 * - `mismatch`: anything else is refused.
 */
export type IssuerMatch =
  | { kind: 'same' }
  | { kind: 'tenant_resolved'; canonical: string; tenant: string; tenantId: string }
  | { kind: 'multi_tenant'; template: string; tenant: string }
  | { kind: 'mismatch'; advertised: string };

export const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function matchIssuer(configured: string, advertised: string): IssuerMatch {
  if (configured === advertised) return { kind: 'same' };
  let a: URL;
  let b: URL;
  try {
    a = new URL(configured);
    b = new URL(advertised.replace('{tenantid}', 'TENANTID-PLACEHOLDER'));
  } catch {
    return { kind: 'mismatch', advertised };
  }
  if (a.origin !== b.origin) return { kind: 'mismatch', advertised };
  const as = a.pathname.split('/');
  const bs = b.pathname.split('/');
  if (as.length !== bs.length) return { kind: 'mismatch', advertised };
  const diff = as.map((seg, i) => (seg === bs[i] ? -1 : i)).filter((i) => i >= 0);
  if (diff.length !== 1) return { kind: 'mismatch', advertised };
  const tenant = decodeURIComponent(as[diff[0]!]!);
  const theirs = bs[diff[0]!]!;
  if (theirs === 'TENANTID-PLACEHOLDER' && MULTI_TENANT.has(tenant.toLowerCase()))
    return { kind: 'multi_tenant', template: advertised, tenant };
  if (TENANT_GUID.test(theirs) && DOMAIN.test(tenant))
    return { kind: 'tenant_resolved', canonical: advertised, tenant, tenantId: theirs };
  return { kind: 'mismatch', advertised };
}
