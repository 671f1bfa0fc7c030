import { explainIdpError } from '@shared/idp-errors';

/**
 * Which ID-token or token-endpoint check failed, in words, from openid-client's (oauth4webapi's)
 * coded errors: a support person reads "aud does not include sso-desk-demo", not "unexpected error".
 */
export interface FailedCheck {
  step: string;
  code: string;
  message: string;
  /** The IdP's own error and description, when it answered one (for the catalogue and the sentence). */
  idpError?: string;
  idpErrorDescription?: string;
}

interface CodedError {
  name?: string;
  /** The JSON body that came with a WWW-Authenticate challenge (read by `readChallengeBody`). */
  answeredBody?: Record<string, unknown>;
  code?: string;
  message?: string;
  error?: string;
  error_description?: string;
  status?: number;
  cause?: { claim?: string; claims?: Record<string, unknown>; now?: number; tolerance?: number } & Record<
    string,
    unknown
  >;
}

/**
 * The error fields of a token-endpoint answer: a JSON body (RFC 6749 §5.2), a WWW-Authenticate
 * challenge with an `error` parameter (RFC 6750 §3), or a bare challenge (`Basic realm=…`) whose JSON
 * body carries the error.
 */
function answeredError(
  outer: CodedError,
  inner: CodedError,
): { error: string; description?: string; body: Record<string, unknown> } | null {
  for (const e of [outer, inner]) {
    if (e.code === 'OAUTH_RESPONSE_BODY_ERROR' && e.error) {
      const body = (e.cause ?? {}) as Record<string, unknown>;
      return { error: e.error, ...(e.error_description ? { description: e.error_description } : {}), body };
    }
    if (e.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE') {
      const challenges = (e.cause as unknown as Array<{ parameters?: Record<string, string> }> | undefined) ?? [];
      const p = challenges.find((c) => c.parameters?.error)?.parameters;
      if (p?.error)
        return { error: p.error, ...(p.error_description ? { description: p.error_description } : {}), body: {} };
      // RFC 6749 §5.2: a refused client may get 401 + `WWW-Authenticate: Basic` with the error in the JSON body.
      const body = e.answeredBody;
      if (body && typeof body.error === 'string') {
        const description = typeof body.error_description === 'string' ? body.error_description : undefined;
        return { error: body.error, ...(description ? { description } : {}), body };
      }
    }
  }
  return null;
}

const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

const iso = (seconds: unknown): string =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : String(seconds);

/**
 * @param method the client authentication the token request used: a refused client is told which,
 *   and what to check ("the IdP refused the client credentials sent as client_secret_post
 *   (unauthorized_client): check the secret and the client's authentication method at the IdP").
 *
 * Long because it has one branch per refusal the token endpoint or openid-client can give, each ending in the
 * sentence the admin reads; split up, the branches would hide which error wins when several match.
 */
export function describeTokenError(
  error: unknown,
  expected: { issuer: string; clientId: string },
  method?: string,
  /** `method` was picked by `auto`, not chosen by the admin: a refusal suggests the other secret method. */
  auto = false,
): FailedCheck {
  const outer = (error ?? {}) as CodedError;
  // openid-client wraps oauth4webapi's error (which holds the claim details) in a ClientError with the same code.
  const wrapped =
    outer.name === 'ClientError' && outer.cause && typeof outer.cause === 'object' && 'message' in outer.cause;
  const inner = (wrapped ? outer.cause : outer) as CodedError;
  const e: CodedError = {
    ...inner,
    code: outer.code ?? inner.code,
    message: inner.message ?? outer.message,
    cause: inner.cause,
  };
  const claims = e.cause?.claims ?? {};
  const answered = answeredError(outer, inner);
  if (answered) {
    const { error: err, description } = answered;
    const desc = description ? ` — "${description.slice(0, 500)}"` : '';
    const clientRefused = err === 'invalid_client' || err === 'unauthorized_client';
    let why: string;
    let next = '';
    if (clientRefused && method === 'none') {
      why =
        `the IdP refused this public client, which sends no secret (${err}): the client is ` +
        `confidential at the IdP — give its secret, or make it a public client there`;
    } else if (clientRefused && method) {
      const what = SECRET_METHODS.has(method)
        ? 'the secret'
        : method === 'private_key_jwt'
          ? 'the public key (JWKS) registered'
          : 'the credentials';
      why =
        `the IdP refused the client credentials sent as ${method} (${err}): check ${what} ` +
        `and the client’s authentication method at the IdP`;
      // Some IdPs do not form-decode Basic credentials (RFC 6749 §2.3.1): a secret with ~ or ! then fails
      // under Basic and works under post. Only worth saying when SSO Desk, not the admin, picked Basic.
      if (auto && method === 'client_secret_basic')
        next =
          `. If the secret is right, choose client_secret_post in Settings › Security › SSO ` +
          `(Client authentication) next: some IdPs do not decode Basic credentials as RFC 6749 ` +
          `§2.3.1 requires, so secrets with characters such as ~ or ! fail under Basic only`;
    } else if (err === 'invalid_grant') {
      why = `the IdP refused the code (${err}): already used, expired, or the PKCE verifier or redirect URI does not match`;
    } else {
      why = `the IdP refused the token request (${err})`;
    }
    const ids = explainIdpError({
      error: err,
      error_description: description,
      trace_id: typeof answered.body.trace_id === 'string' ? answered.body.trace_id : undefined,
      correlation_id: typeof answered.body.correlation_id === 'string' ? answered.body.correlation_id : undefined,
    });
    const catalogue =
      ids.entry && ids.entry.id !== err ? `; ${ids.entry.id}: ${ids.entry.meaning} — ${ids.entry.action}` : '';
    const quote = [ids.traceId && `trace ID ${ids.traceId}`, ids.correlationId && `correlation ID ${ids.correlationId}`]
      .filter(Boolean)
      .join(', ');
    return {
      step: 'token exchange',
      code: 'token_refused',
      message: `token exchange failed: ${why}${desc}${catalogue}${quote ? ` (${quote})` : ''}${next}`,
      idpError: err,
      ...(description ? { idpErrorDescription: description } : {}),
    };
  }
  if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
    const claim = e.cause?.claim ?? 'claim';
    if (claim === 'iss')
      return {
        step: 'iss',
        code: 'issuer_mismatch',
        message: `ID token iss is "${String(claims.iss)}", expected "${expected.issuer}"`,
      };
    if (claim === 'aud' || claim === 'azp')
      return {
        step: 'aud',
        code: 'audience_mismatch',
        message: `ID token ${claim} is ${JSON.stringify(claims[claim])}, which does not name this client "${expected.clientId}" (alone)`,
      };
    if (claim === 'nonce')
      return {
        step: 'nonce',
        code: 'nonce_mismatch',
        message: 'ID token nonce does not match this sign-in (possible replayed token)',
      };
    return {
      step: claim,
      code: 'claim_mismatch',
      message: `ID token ${claim} is not what was expected (${e.message ?? ''})`,
    };
  }
  if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
    const claim = e.cause?.claim ?? 'exp';
    const now = e.cause?.now;
    if (claim === 'exp')
      return {
        step: 'exp',
        code: 'token_expired',
        message: `ID token expired at ${iso(claims.exp)}; SSO Desk’s clock says ${iso(now)} (tolerance ${e.cause?.tolerance ?? 30} s)`,
      };
    return {
      step: claim,
      code: 'token_time_invalid',
      message: `ID token ${claim} ${iso(claims[claim])} is not acceptable at ${iso(now)}`,
    };
  }
  const message = e.message ?? String(error);
  if (/signature verification failed/i.test(message)) {
    return {
      step: 'signature',
      code: 'bad_signature',
      message: 'ID token signature does not verify against the IdP’s JWKS (tampered or signed by another key)',
    };
  }
  if (e.code === 'OAUTH_KEY_SELECTION_FAILED' || (/key/i.test(message) && /select|found|jwks/i.test(message))) {
    return {
      step: 'signature',
      code: 'no_signing_key',
      message: `no key in the IdP’s JWKS fits the ID token’s header (${message})`,
    };
  }
  if (/"alg"|algorithm/i.test(message))
    return { step: 'signature', code: 'bad_algorithm', message: `ID token algorithm not accepted (${message})` };
  if (/id_token/i.test(message))
    return {
      step: 'id token',
      code: 'no_id_token',
      message: `the token response is not a usable OpenID Connect answer (${message})`,
    };
  const cause = (error as { cause?: { code?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED' || /fetch failed/i.test(message)) {
    return {
      step: 'token exchange',
      code: 'idp_unreachable',
      message: `the IdP’s token endpoint is unreachable (${cause?.code ?? message})`,
    };
  }
  return { step: 'token exchange', code: 'token_exchange_failed', message: `token exchange failed: ${message}` };
}

/**
 * oauth4webapi stops at a WWW-Authenticate challenge before reading the body; an IdP answering a
 * refused client as RFC 6749 §5.2 says (401, `WWW-Authenticate: Basic`, `{"error":"invalid_client"}`)
 * puts the error there. Reads that body (small, JSON) onto the error for `describeTokenError`.
 */
export async function readChallengeBody(error: unknown): Promise<unknown> {
  let e = error as (CodedError & { response?: unknown }) | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 3; depth++) {
    if (e.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' && e.response instanceof Response) {
      try {
        const text = (await e.response.clone().text()).slice(0, 64 * 1024);
        const body: unknown = JSON.parse(text);
        if (body && typeof body === 'object' && !Array.isArray(body)) e.answeredBody = body as Record<string, unknown>;
      } catch {
        // Not JSON, or already read: the challenge alone is described.
      }
      break;
    }
    e = e.cause as typeof e;
  }
  return error;
}
