import type { Finding } from '@shared/contract/diagnose';
import { finding, type Check } from './model';
import { authorizeBefore, jwtsOf } from './id-tokens';

/**
 * `audience_mismatch`: the ID token's aud does not contain the client_id that asked for it (OpenID
 * Connect Core §3.1.3.7 step 3), or the client ID in the matching account's settings.
 */
export const checkAudience: Check = (ctx) => {
  const out: Finding[] = [];
  for (const t of jwtsOf(ctx, 'id_token')) {
    const aud = Array.isArray(t.claims.aud) ? t.claims.aud.map(String) : [String(t.claims.aud ?? '')];
    const clientId = authorizeBefore(ctx, t.index)?.params.get('client_id');
    const account = ctx.accounts.find((a) => a.issuer === t.claims.iss || (clientId && a.clientId === clientId));
    const expected = clientId ?? account?.clientId;
    if (!expected || aud.includes(expected)) continue;
    out.push(
      finding(
        'audience_mismatch',
        'error',
        t,
        `The ID token is for audience ${aud.join(', ') || '(none)'}, not for client_id ` +
          `${expected}` +
          `${account ? ` (${account.name}’s settings have ${account.clientId})` : ''}.`,
        'The token was issued to another app: check that the app’s client ID at the IdP is ' +
          'the one in the settings, and that the sign-in did not go through another app.',
      ),
    );
  }
  return out;
};
