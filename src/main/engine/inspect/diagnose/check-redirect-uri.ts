import type { Finding } from '@shared/contract/diagnose';
import { explainIdpError } from '@shared/idp-errors';
import { finding, ofKind, type Check } from './model';

/**
 * `redirect_uri_mismatch`: the IdP refused the redirect URI (RFC 6749 §3.1.2.4: it must match a
 * registered one exactly; the IdP then shows an error page instead of redirecting), or the token
 * request's redirect_uri differs from the authorize request's (RFC 6749 §4.1.3).
 */
const MISMATCH = new RegExp(
  [
    'redirect_uri[^<]{0,80}(did not match|does not match|mismatch|not (registered|whitelisted|allowed|valid)|invalid)',
    'invalid (parameter: )?redirect_uri',
    'AADSTS50011',
    'unauthori[sz]ed (redirect )?url',
    'callback url mismatch',
  ].join('|'),
  'i',
);

export const checkRedirectUri: Check = (ctx) => {
  const out: Finding[] = [];
  for (const ex of ofKind(ctx, 'authorize', 'callback', 'error', 'login')) {
    const body = ex.raw?.responseBody ?? '';
    const description = ex.params.get('error_description') ?? '';
    if (!MISMATCH.test(description) && !(ex.kind !== 'callback' && (ex.raw?.status ?? 0) >= 400 && MISMATCH.test(body)))
      continue;
    const authorize =
      ex.kind === 'authorize'
        ? ex
        : ofKind(ctx, 'authorize')
            .filter((a) => a.index <= ex.index)
            .pop();
    const uri = authorize?.params.get('redirect_uri') ?? '(not in the capture)';
    const known = explainIdpError({
      error: ex.params.get('error'),
      error_description: description || body.slice(0, 2000),
    });
    out.push(
      finding(
        'redirect_uri_mismatch',
        'error',
        ex,
        `The IdP refused the redirect URI ${uri}: it is not one registered for client_id ${authorize?.params.get('client_id') ?? '?'}.`,
        known.entry?.action ??
          `Register exactly ${uri} as a redirect (sign-in) URI of the app at the IdP, or correct the redirect URI the app sends.`,
      ),
    );
  }
  out.push(...refusedAuthorize(ctx, out));
  for (const token of ofKind(ctx, 'token')) {
    const sent = token.params.get('redirect_uri');
    const authorize = ofKind(ctx, 'authorize')
      .filter((a) => a.index < token.index)
      .pop();
    const asked = authorize?.params.get('redirect_uri');
    if (sent && asked && sent !== asked)
      out.push(
        finding(
          'redirect_uri_mismatch',
          'error',
          token,
          `The token request sends redirect_uri ${sent}, but the authorize request used ${asked}; ` +
            `the IdP must refuse the code (RFC 6749 §4.1.3).`,
          'Send the same redirect_uri in the token request as in the authorize request.',
        ),
      );
  }
  return out;
};

/**
 * An authorize request the IdP answered with a bare 400/401/403 page, naming no OAuth error: the IdP did
 * not trust the redirect URI (with its port) for this client ID, or does not know the client ID. An IdP
 * refuses both without redirecting (RFC 6749 §4.1.2.1), and some (Glewlwyd) say no more than the status.
 */
function refusedAuthorize(ctx: Parameters<Check>[0], already: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const ex of ofKind(ctx, 'authorize')) {
    const status = ex.raw?.status ?? 0;
    if (
      ![400, 401, 403].includes(status) ||
      already.some((f) => f.step === ex.step && f.code === 'redirect_uri_mismatch')
    )
      continue;
    const body = ex.raw?.responseBody ?? '';
    // A page that names another OAuth error (a missing PKCE challenge, an unknown scope) is not this.
    if (/code_challenge|pkce|scope|response_type|invalid_request|unsupported/i.test(body)) continue;
    const uri = ex.params.get('redirect_uri') ?? '(not in the capture)';
    const client = ex.params.get('client_id') ?? '?';
    out.push(
      finding(
        'redirect_uri_mismatch',
        'error',
        ex,
        `The IdP refused the authorize request with HTTP ${status} instead of redirecting: it does not accept ` +
          `client_id ${client} with the redirect URI ${uri} (the port counts), or it does not know the client ID.`,
        `Register exactly ${uri} as a redirect (sign-in) URI of client ${client} at the IdP, ` +
          `or correct the redirect URI or client ID the app sends.`,
      ),
    );
  }
  return out;
}
