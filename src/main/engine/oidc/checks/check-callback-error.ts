import { describeIdpError } from '@shared/idp-errors';

/**
 * An authorization error response (RFC 6749 §4.1.2.1): `error=access_denied` and friends, said in
 * words with the IdP's own description, never as "unexpected error".
 */
export function checkCallbackError(params: URLSearchParams): string | null {
  const error = params.get('error');
  if (error === null) return null;
  const description = params.get('error_description');
  const meaning: Record<string, string> = {
    access_denied: 'the user or the IdP refused the sign-in',
    login_required: 'the IdP needs the user to sign in',
    consent_required: 'the IdP needs the user’s consent',
    interaction_required: 'the IdP needs the user to do something first',
    invalid_scope: 'the IdP refused the scopes asked for',
    unauthorized_client: 'the IdP does not let this client use the code flow',
    invalid_request: 'the IdP found the request malformed',
    server_error: 'the IdP failed',
    temporarily_unavailable: 'the IdP is temporarily unavailable',
  };
  const words = meaning[error] ?? 'the IdP returned an error';
  // Entra ID's AADSTS code, Okta's and Keycloak's messages: what they mean and what to do, from the catalogue.
  const known = describeIdpError({ error, error_description: description });
  const catalogue = known && !known.startsWith(`${error}:`) ? `; ${known}` : '';
  return `IdP error ${error}: ${words}${description ? ` — "${description.slice(0, 300)}"` : ''}${catalogue}`;
}
