import type { Finding } from '@shared/contract/diagnose';
import { finding, type Check } from './model';
import { authorizeBefore, jwtsOf } from './id-tokens';

/**
 * `nonce_mismatch`: the ID token's nonce is not the authorize request's (OpenID Connect Core §3.1.3.7
 * step 11): a replayed or mixed-up token.
 */
export const checkNonce: Check = (ctx) => {
  const out: Finding[] = [];
  for (const t of jwtsOf(ctx, 'id_token')) {
    const sent = authorizeBefore(ctx, t.index)?.params.get('nonce');
    if (sent === undefined) continue;
    if (t.claims.nonce === sent) continue;
    out.push(
      finding(
        'nonce_mismatch',
        'error',
        t,
        t.claims.nonce === undefined
          ? 'The ID token has no nonce claim, although the authorize request sent one (OpenID Connect Core §3.1.3.7).'
          : 'The ID token’s nonce is not the one the authorize request sent: the token belongs to another sign-in.',
        'Start the sign-in again in one tab; if it persists the IdP or a proxy is replaying an old answer.',
      ),
    );
  }
  return out;
};
