import type { Finding } from '@shared/contract/diagnose';
import { matchIssuer } from '@shared/issuer-match';
import { finding, ofKind, type Check } from './model';
import { jwtsOf } from './id-tokens';

/**
 * `issuer_mismatch`: the ID token's iss is not the issuer the capture's discovery document names
 * (OpenID Connect Core §3.1.3.7 step 2), nor the IdP URL in the settings of the account whose client ID
 * the capture carries; and a callback `iss` (RFC 9207) that is not the token's.
 */
export const checkIssuer: Check = (ctx) => {
  const out: Finding[] = [];
  const discovered = ofKind(ctx, 'discovery')
    .map((d) => (typeof d.json?.issuer === 'string' ? d.json.issuer : null))
    .filter((x): x is string => x !== null);
  for (const t of jwtsOf(ctx, 'id_token')) {
    const iss = String(t.claims.iss ?? '');
    const doc = discovered.find((d) => d !== iss);
    if (doc && !discovered.includes(iss)) {
      out.push(
        finding(
          'issuer_mismatch',
          'error',
          t,
          `The ID token says iss ${iss || '(none)'}, but the IdP's discovery document says issuer ${doc}.`,
          'Use the issuer exactly as the discovery document spells it (trailing slash and tenant included).',
        ),
      );
      continue;
    }
    const aud = Array.isArray(t.claims.aud) ? t.claims.aud.map(String) : [String(t.claims.aud ?? '')];
    const account = ctx.accounts.find((a) => aud.includes(a.clientId));
    if (account && account.issuer && matchIssuer(account.issuer, iss).kind === 'mismatch')
      out.push(
        finding(
          'issuer_mismatch',
          'error',
          t,
          `The HAR's issuer is ${iss}; ${account.name}'s settings have ${account.issuer}.`,
          `Set ${account.name}'s IdP URL to ${iss} in Settings › Security › SSO, or sign in through the IdP the settings name.`,
        ),
      );
  }
  return out;
};
