import type { Finding } from '@shared/contract/oidc';

/**
 * Logout ends the SSO Desk session and, where the IdP has an `end_session_endpoint`, the IdP's too
 * (OpenID Connect RP-Initiated Logout 1.0 §2). Without one, the IdP session outlives the logout:
 * worth knowing, not an error.
 */
export function checkEndSession(meta: Record<string, unknown>): Finding {
  if (typeof meta.end_session_endpoint !== 'string') {
    return {
      check: 'end_session',
      level: 'warning',
      message: 'no end_session_endpoint: logging out of SSO Desk will not sign the user out of the IdP',
    };
  }
  return { check: 'end_session', level: 'ok', message: 'the IdP offers RP-initiated logout (end_session_endpoint)' };
}
