import type { Finding } from '@shared/contract/diagnose';
import { finding, type Check } from './model';
import { authorizeBefore, jwtsOf } from './id-tokens';

/**
 * `claim_missing`: the ID token lacks `sub` (OpenID Connect Core §2), or the claim the account reads
 * the user from (its "user claim", `email` by default), or `email` when the request asked for the
 * email scope.
 */
export const checkClaims: Check = (ctx) => {
  const out: Finding[] = [];
  for (const t of jwtsOf(ctx, 'id_token')) {
    const aud = Array.isArray(t.claims.aud) ? t.claims.aud.map(String) : [String(t.claims.aud ?? '')];
    const account = ctx.accounts.find((a) => aud.includes(a.clientId));
    const scopes = (authorizeBefore(ctx, t.index)?.params.get('scope') ?? '').split(' ');
    const needed = new Set(['sub']);
    if (account) needed.add(account.userClaim);
    else if (scopes.includes('email')) needed.add('email');
    for (const claim of needed) {
      if (t.claims[claim] !== undefined && t.claims[claim] !== '') continue;
      const why = account
        ? `, which ${account.name} reads the user from`
        : claim === 'email'
          ? ', although the email scope was asked for'
          : '';
      out.push(
        finding(
          'claim_missing',
          'error',
          t,
          `The ID token has no ${claim} claim${why}.`,
          claim === 'sub'
            ? 'The IdP sends a token that is not an OpenID Connect ID token: check the app type at the IdP.'
            : `Add the ${claim} claim to the ID token at the IdP (a claim mapping or the email scope), ` +
                `or choose another user claim in the account’s SSO settings.`,
        ),
      );
    }
  }
  return out;
};
