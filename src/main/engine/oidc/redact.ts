import { MASK } from '@shared/trace';

/** What every secret looks like in a trace, an audit event or a log line: the one mask of shared/trace. */
export const REDACTED = MASK;

/** Parameters of an authorization request or response that must never be shown in clear. */
const SECRET_PARAMS = [
  'state',
  'nonce',
  'code',
  'code_verifier',
  'client_secret',
  'id_token',
  'access_token',
  'refresh_token',
  'id_token_hint',
];

/** A URL with its secret query parameters replaced by `••••`, for the step-by-step trace. */
export function redactUrl(url: string | URL): string {
  const u = new URL(String(url));
  for (const name of SECRET_PARAMS) if (u.searchParams.has(name)) u.searchParams.set(name, REDACTED);
  // URLSearchParams percent-encodes the bullets; show them as people will read them.
  return u.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}
