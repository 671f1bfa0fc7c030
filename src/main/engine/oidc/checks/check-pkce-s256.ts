import type { Finding } from '@shared/contract/oidc';

/**
 * SSO Desk always sends a PKCE S256 challenge (RFC 7636 §4.2; RFC 8252 §8.1 requires PKCE for native
 * apps). An IdP that lists `code_challenge_methods_supported` without S256 would ignore it, leaving
 * a public client unprotected. Some IdPs support PKCE without listing it: that is only a warning.
 */
export function checkPkceS256(meta: Record<string, unknown>): Finding {
  const methods = meta.code_challenge_methods_supported;
  if (methods === undefined) {
    return {
      check: 'pkce',
      level: 'warning',
      message:
        'the IdP does not say whether it supports PKCE (no code_challenge_methods_supported); SSO Desk sends S256 anyway',
    };
  }
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    return {
      check: 'pkce',
      level: 'error',
      message: `no PKCE S256: the IdP supports only ${Array.isArray(methods) && methods.length ? methods.join(', ') : 'no method'}`,
    };
  }
  return { check: 'pkce', level: 'ok', message: 'the IdP supports PKCE with S256' };
}
