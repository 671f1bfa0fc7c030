import * as client from 'openid-client';
import type { Trace } from '../trace';
import { CLAIM_SCOPE } from '@shared/oidc-config';

type Tokens = Awaited<ReturnType<typeof client.authorizationCodeGrant>>;

export type ClaimRead =
  | { ok: true; value: string; source: 'ID token' | 'userinfo endpoint'; emailVerified: unknown }
  | { ok: false; message: string; grantedScopes: string | undefined };

/**
 * Reads the claim that identifies the user (`email` by default; `preferred_username`, `upn` or any
 * claim the admin chose) from the ID token, else from the userinfo endpoint (OpenID Connect Core 1.0
 * §5.3). The trace says exactly what happened: a userinfo read is claimed only when the value came
 * from there. When the claim is nowhere, the reason names the scopes the IdP granted (the token
 * response's `scope`, RFC 6749 §5.1) and what to change.
 */
export async function readUserClaim(x: {
  claim: string;
  claims: client.IDToken;
  tokens: Tokens;
  config: client.Configuration;
  meta: client.ServerMetadata;
  trace: Trace;
  /** The scopes SSO Desk asked for: without a `scope` in the token response, they are the granted ones. */
  requested: readonly string[];
}): Promise<ClaimRead> {
  const { claim } = x;
  const fromToken = x.claims[claim];
  if (typeof fromToken === 'string' && fromToken !== '') {
    return { ok: true, value: fromToken, source: 'ID token', emailVerified: x.claims.email_verified };
  }
  let userinfo: 'not tried' | 'no endpoint' | 'failed' | 'without' = 'not tried';
  if (!x.meta.userinfo_endpoint) userinfo = 'no endpoint';
  else if (x.tokens.access_token) {
    try {
      const info = await client.fetchUserInfo(x.config, x.tokens.access_token, x.claims.sub);
      const value = info[claim];
      if (typeof value === 'string' && value !== '') {
        x.trace.ok('userinfo', `'${claim}' read from the userinfo endpoint (not in the ID token)`);
        return { ok: true, value, source: 'userinfo endpoint', emailVerified: info.email_verified };
      }
      userinfo = 'without';
      x.trace.warn(
        'userinfo',
        `the userinfo endpoint answered without '${claim}' (it sent ${Object.keys(info).join(', ') || 'nothing'})`,
      );
    } catch (error) {
      userinfo = 'failed';
      x.trace.warn('userinfo', `the userinfo endpoint could not be read: ${(error as Error).message}`);
    }
  }
  const where =
    userinfo === 'without'
      ? 'neither in the ID token nor from the userinfo endpoint'
      : userinfo === 'failed'
        ? 'not in the ID token (and the userinfo endpoint could not be read)'
        : userinfo === 'no endpoint'
          ? 'not in the ID token (the IdP has no userinfo endpoint)'
          : 'not in the ID token';
  const said = typeof x.tokens.scope === 'string' ? x.tokens.scope.trim() : undefined;
  // RFC 6749 §5.1: a token response without `scope` means the scopes requested were granted.
  const granted = said ?? x.requested.join(' ');
  const grantedList = granted.split(/\s+/);
  const usual = CLAIM_SCOPE[claim];
  const notAsked = usual !== undefined && !x.requested.includes(usual);
  const declined = usual !== undefined && !notAsked && !grantedList.includes(usual);
  const grantedWords =
    said === undefined
      ? `the IdP did not list the granted scopes, so it granted those asked for (RFC 6749 §5.1): '${granted}'`
      : `the IdP granted ${declined ? 'only ' : ''}'${granted}'`;
  const fix = notAsked
    ? `: SSO Desk did not ask for the scope '${usual}', which the '${claim}' claim usually ` +
      `comes with — add ${usual} to Scopes in Settings › Security › SSO`
    : declined && claim === 'email'
      ? `: the user did not consent to 'email' — sign in again and allow it, or choose the ` +
        `claim preferred_username or upn in Settings › Security › SSO`
      : declined
        ? `: the user did not consent to '${usual}' — sign in again and allow it, ` +
          'or choose another claim in Settings › Security › SSO'
        : claim === 'email'
          ? ': the IdP does not release an email for this user (Entra ID: no mail attribute) — ' +
            'choose preferred_username or upn in Settings › Security › SSO, or map an email claim at the IdP'
          : `: map the '${claim}' claim at the IdP, or choose another claim in Settings › Security › SSO`;
  const present = Object.keys(x.claims).filter(
    (k) => !['iss', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'at_hash', 'c_hash', 'auth_time', 'sid', 'azp'].includes(k),
  );
  return {
    ok: false,
    message:
      `the '${claim}' claim that identifies the user is missing, ${where}; ${grantedWords}${fix} ` +
      `(the ID token has ${present.join(', ')})`,
    grantedScopes: said,
  };
}
