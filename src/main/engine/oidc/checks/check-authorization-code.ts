import type { Finding } from '@shared/contract/oidc';

/**
 * SSO Desk signs in with the authorization code flow (RFC 6749 §4.1): the IdP must offer response
 * type `code`, grant type `authorization_code` (RFC 8414 §2: absent means authorization_code and
 * implicit), and both endpoints.
 */
export function checkAuthorizationCode(meta: Record<string, unknown>): Finding {
  const responseTypes = Array.isArray(meta.response_types_supported)
    ? (meta.response_types_supported as unknown[])
    : [];
  const grantTypes = Array.isArray(meta.grant_types_supported)
    ? (meta.grant_types_supported as unknown[])
    : ['authorization_code', 'implicit'];
  const missing: string[] = [];
  if (!responseTypes.includes('code')) missing.push('response type "code"');
  if (!grantTypes.includes('authorization_code')) missing.push('grant type "authorization_code"');
  if (typeof meta.authorization_endpoint !== 'string') missing.push('an authorization_endpoint');
  if (typeof meta.token_endpoint !== 'string') missing.push('a token_endpoint');
  if (missing.length)
    return {
      check: 'authorization_code',
      level: 'error',
      message: `no authorization_code flow: the IdP does not offer ${missing.join(', ')}`,
    };
  return { check: 'authorization_code', level: 'ok', message: 'the IdP offers the authorization code flow' };
}
