import type { Finding } from '@shared/contract/diagnose';
import { finding, ofKind, type Check } from './model';

/**
 * `pkce_missing`: an authorization-code request without a PKCE code_challenge, or with the weak
 * `plain` method (RFC 7636; OAuth 2.0 Security BCP, RFC 9700 §2.1.1), or a token request that does
 * not send the code_verifier its authorize request promised.
 */
export const checkPkce: Check = (ctx) => {
  const out: Finding[] = [];
  for (const a of ofKind(ctx, 'authorize')) {
    const type = a.params.get('response_type') ?? 'code';
    if (!type.split(' ').includes('code')) continue;
    if (!a.params.has('code_challenge'))
      out.push(
        finding(
          'pkce_missing',
          'warning',
          a,
          'The authorize request has no code_challenge: the code is not bound to this client ' +
            '(PKCE, RFC 7636). IdPs that require PKCE refuse it.',
          'Send code_challenge with code_challenge_method=S256 (SSO Desk always does; check the app that made this request).',
        ),
      );
    else if ((a.params.get('code_challenge_method') ?? 'plain') === 'plain')
      out.push(
        finding(
          'pkce_missing',
          'warning',
          a,
          'The authorize request uses PKCE method plain: the challenge is the verifier itself (RFC 7636 §4.2).',
          'Use code_challenge_method=S256.',
        ),
      );
  }
  for (const t of ofKind(ctx, 'token')) {
    if (t.params.get('grant_type') !== 'authorization_code' || t.params.has('code_verifier')) continue;
    const a = ofKind(ctx, 'authorize')
      .filter((x) => x.index < t.index)
      .pop();
    if (a?.params.has('code_challenge'))
      out.push(
        finding(
          'pkce_missing',
          'error',
          t,
          'The token request has no code_verifier, although the authorize request sent a code_challenge: the IdP must refuse the code.',
          'Send the code_verifier that matches the code_challenge in the token request.',
        ),
      );
  }
  return out;
};
