/**
 * Which ID-token or token-endpoint check failed, in words, from openid-client's (oauth4webapi's)
 * coded errors: a support person reads "aud does not include sso-desk-demo", not "unexpected error".
 */
export interface FailedCheck {
  step: string;
  code: string;
  message: string;
}

interface CodedError {
  name?: string;
  code?: string;
  message?: string;
  error?: string;
  error_description?: string;
  status?: number;
  cause?: { claim?: string; claims?: Record<string, unknown>; now?: number; tolerance?: number } & Record<string, unknown>;
}

const iso = (seconds: unknown): string => (typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : String(seconds));

export function describeTokenError(error: unknown, expected: { issuer: string; clientId: string }): FailedCheck {
  const outer = (error ?? {}) as CodedError;
  // openid-client wraps oauth4webapi's error (which holds the claim details) in a ClientError with the same code.
  const wrapped = outer.name === 'ClientError' && outer.cause && typeof outer.cause === 'object' && 'message' in outer.cause;
  const inner = (wrapped ? outer.cause : outer) as CodedError;
  const e: CodedError = { ...inner, code: outer.code ?? inner.code, message: inner.message ?? outer.message, cause: inner.cause };
  const claims = e.cause?.claims ?? {};
  if (e.code === 'OAUTH_RESPONSE_BODY_ERROR') {
    const desc = e.error_description ? ` — "${e.error_description}"` : '';
    const why =
      e.error === 'invalid_grant'
        ? 'the IdP refused the code (already used, expired, or the PKCE verifier does not match)'
        : e.error === 'invalid_client'
          ? 'the IdP refused the client credentials (Client ID or Client Secret)'
          : 'the IdP refused the token request';
    return { step: 'token exchange', code: 'token_refused', message: `token exchange failed: ${why} (${e.error}${desc})` };
  }
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
    const claim = e.cause?.claim ?? 'claim';
    if (claim === 'iss') return { step: 'iss', code: 'issuer_mismatch', message: `ID token iss is "${String(claims.iss)}", expected "${expected.issuer}"` };
    if (claim === 'aud' || claim === 'azp')
      return { step: 'aud', code: 'audience_mismatch', message: `ID token ${claim} is ${JSON.stringify(claims[claim])}, which does not name this client "${expected.clientId}" (alone)` };
    if (claim === 'nonce') return { step: 'nonce', code: 'nonce_mismatch', message: 'ID token nonce does not match this sign-in (possible replayed token)' };
    return { step: claim, code: 'claim_mismatch', message: `ID token ${claim} is not what was expected (${e.message ?? ''})` };
  }
  if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
    const claim = e.cause?.claim ?? 'exp';
    const now = e.cause?.now;
    if (claim === 'exp')
      return { step: 'exp', code: 'token_expired', message: `ID token expired at ${iso(claims.exp)}; SSO Desk’s clock says ${iso(now)} (tolerance ${e.cause?.tolerance ?? 30} s)` };
    return { step: claim, code: 'token_time_invalid', message: `ID token ${claim} ${iso(claims[claim])} is not acceptable at ${iso(now)}` };
  }
  const message = e.message ?? String(error);
  if (/signature verification failed/i.test(message)) {
    return { step: 'signature', code: 'bad_signature', message: 'ID token signature does not verify against the IdP’s JWKS (tampered or signed by another key)' };
  }
  if (e.code === 'OAUTH_KEY_SELECTION_FAILED' || /key/i.test(message) && /select|found|jwks/i.test(message)) {
    return { step: 'signature', code: 'no_signing_key', message: `no key in the IdP’s JWKS fits the ID token’s header (${message})` };
  }
  if (/"alg"|algorithm/i.test(message)) return { step: 'signature', code: 'bad_algorithm', message: `ID token algorithm not accepted (${message})` };
  if (/id_token/i.test(message)) return { step: 'id token', code: 'no_id_token', message: `the token response is not a usable OpenID Connect answer (${message})` };
  const cause = (error as { cause?: { code?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED' || /fetch failed/i.test(message)) {
    return { step: 'token exchange', code: 'idp_unreachable', message: `the IdP’s token endpoint is unreachable (${cause?.code ?? message})` };
  }
  return { step: 'token exchange', code: 'token_exchange_failed', message: `token exchange failed: ${message}` };
}
