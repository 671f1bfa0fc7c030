/**
 * An offline catalogue of the errors admins meet at identity providers: what each means and what to
 * do, in words. Microsoft Entra ID's AADSTS codes (read from `error_description`), Okta's and
 * Keycloak's usual messages, and the error codes of RFC 6749 §4.1.2.1 / §5.2 and OpenID Connect
 * Core 1.0 §3.1.2.6. Pure TypeScript: the engine's trace and the Simulator's sentence use it.
 */
export interface IdpErrorEntry {
  /** How support quotes it: `AADSTS50105`, `okta:user_not_assigned`, `invalid_client`. */
  id: string;
  vendor: 'Microsoft Entra ID' | 'Okta' | 'Keycloak' | 'OAuth 2.0' | 'OpenID Connect';
  meaning: string;
  action: string;
}

export interface IdpErrorInput {
  error?: string | null | undefined;
  error_description?: string | null | undefined;
  /** Entra ID's token endpoint answers these fields in JSON; its error pages print them as text. */
  trace_id?: string | null | undefined;
  correlation_id?: string | null | undefined;
}

export interface ExplainedIdpError {
  entry: IdpErrorEntry | null;
  /** `AADSTS50105` when the description carries one. */
  aadsts: string | null;
  traceId: string | null;
  correlationId: string | null;
}

const ENTRA = 'Microsoft Entra ID' as const;

/** Entra ID's AADSTS codes most admins meet (learn.microsoft.com/entra/identity-platform/reference-error-codes). */
const AADSTS: Record<string, Omit<IdpErrorEntry, 'id' | 'vendor'>> = {
  '50011': {
    meaning: 'the redirect URI sent does not match one registered for the app',
    action:
      'register the Redirect URL shown in SSO Desk under the app’s Authentication › "Mobile and desktop applications"',
  },
  '50020': {
    meaning: 'the user’s account is from another tenant and is not a guest of this one',
    action: 'invite the user as a guest, or use the tenant the user belongs to',
  },
  '50034': {
    meaning: 'the user account does not exist in this directory',
    action: 'check the sign-in name, or add the user to the tenant',
  },
  '50053': {
    meaning: 'the account is locked (too many failed sign-ins, or a sign-in from a blocked IP)',
    action: 'wait for the lockout to end or ask the Entra admin to unlock the account',
  },
  '50057': {
    meaning: 'the user account is disabled',
    action: 'ask the Entra admin to enable the account',
  },
  '50058': {
    meaning: 'a silent sign-in found no signed-in user (no session at Entra ID)',
    action: 'sign in interactively (without prompt=none)',
  },
  '50076': {
    meaning: 'multi-factor authentication is required (a Conditional Access policy or a location change)',
    action: 'complete MFA at Entra ID, then try again',
  },
  '50105': {
    meaning: 'the user is not assigned to the app, and the app requires assignment',
    action: 'assign the user (or a group of theirs) to the app under Enterprise applications › Users and groups',
  },
  '50126': {
    meaning: 'the user name or password is wrong',
    action: 'ask the user to re-type the password or reset it at Entra ID',
  },
  '50194': {
    meaning: 'the app is single-tenant but the request used /common or /organizations',
    action: 'use the tenant ID (or domain) in the IdP URL, or make the app multi-tenant',
  },
  '501481': {
    meaning: 'the PKCE code verifier does not match the code challenge',
    action: 'start the sign-in again; if it persists, report it to SSO Desk support',
  },
  '700016': {
    meaning: 'no app with this Client ID exists in the tenant',
    action: 'copy the Application (client) ID of the app registration, and check the tenant in the IdP URL',
  },
  '7000215': {
    meaning: 'the client secret is wrong (often the secret ID was copied instead of its value)',
    action: 'create a new client secret under Certificates & secrets and paste its Value',
  },
  '7000218': {
    meaning: 'the token request carries no client secret or assertion, and the app is not a public client',
    action: 'give the client secret, or turn on "Allow public client flows" for a public client',
  },
};

const OKTA: Array<{ match: RegExp; entry: IdpErrorEntry }> = [
  {
    match: /redirect_uri.*(must be a login redirect uri|not (?:registered|whitelisted|allowed))/i,
    entry: {
      id: 'okta:redirect_uri',
      vendor: 'Okta',
      meaning: 'the redirect URI, with its port, is not a Sign-in redirect URI of the app (Okta matches it exactly)',
      action:
        'use a fixed redirect port in SSO Desk and add exactly the Redirect URL shown to the app’s Sign-in redirect URIs',
    },
  },
  {
    match: /user is not assigned to the client application/i,
    entry: {
      id: 'okta:user_not_assigned',
      vendor: 'Okta',
      meaning: 'the user is not assigned to the app',
      action: 'assign the user or one of their groups to the app under Assignments',
    },
  },
  {
    match: /client authentication failed|invalid client secret|the client secret supplied/i,
    entry: {
      id: 'okta:invalid_client',
      vendor: 'Okta',
      meaning: 'the client ID or secret is wrong, or sent with a method the app does not use',
      action: 'check the secret and the app’s Client authentication setting (Client secret = client_secret_basic)',
    },
  },
];

/** Okta's API error codes (`errorCode` in its JSON answers, developer.okta.com/docs/reference/error-codes). */
const OKTA_CODES: Record<string, Omit<IdpErrorEntry, 'id' | 'vendor'>> = {
  E0000004: {
    meaning: 'authentication failed: the user name or password is wrong',
    action: 'ask the user to re-type the password or reset it in Okta',
  },
  E0000005: {
    meaning: 'the request was refused as not valid for this session',
    action: 'sign out of Okta in the browser and start the sign-in again',
  },
  E0000006: {
    meaning: 'the user or the app may not perform this action (access denied)',
    action: 'assign the user to the app, or check the app’s sign-on policy',
  },
  E0000007: { meaning: 'the resource was not found', action: 'check the Okta org URL and the app’s client ID' },
  E0000011: {
    meaning: 'the token presented is not valid (expired or revoked)',
    action: 'start the sign-in again; check the computer’s clock if it keeps happening',
  },
  E0000015: {
    meaning: 'the feature the request needs is not enabled for this Okta org',
    action: 'ask the Okta admin to enable it, or use a flow the org supports',
  },
  E0000047: { meaning: 'the API rate limit was exceeded', action: 'wait a minute and try again' },
  E0000064: {
    meaning: 'the user’s password has expired',
    action: 'ask the user to change the password in Okta, then sign in again',
  },
  E0000069: {
    meaning: 'the user account is locked',
    action: 'ask the Okta admin to unlock the account, or wait for the lockout to end',
  },
};

const KEYCLOAK: Array<{ match: RegExp; entry: IdpErrorEntry }> = [
  {
    match: /invalid parameter: redirect_uri/i,
    entry: {
      id: 'keycloak:invalid_redirect_uri',
      vendor: 'Keycloak',
      meaning: 'the redirect URI is not one of the client’s Valid redirect URIs',
      action:
        'add http://127.0.0.1/callback (no port: Keycloak accepts any loopback port) to the client’s Valid redirect URIs',
    },
  },
  {
    match: /client not found/i,
    entry: {
      id: 'keycloak:client_not_found',
      vendor: 'Keycloak',
      meaning: 'no client with this Client ID exists in the realm',
      action: 'check the Client ID and the realm in the IdP URL',
    },
  },
  {
    match: /invalid client( or invalid client)? credentials/i,
    entry: {
      id: 'keycloak:invalid_client_credentials',
      vendor: 'Keycloak',
      meaning: 'the client secret is wrong, or the client expects another authenticator',
      action: 'copy the secret from the client’s Credentials tab and match its Client Authenticator there',
    },
  },
];

const RFC: Record<string, Omit<IdpErrorEntry, 'id'>> = {
  invalid_request: {
    vendor: 'OAuth 2.0',
    meaning: 'the IdP found the request malformed',
    action: 'check the IdP URL and the app registration’s settings',
  },
  unauthorized_client: {
    vendor: 'OAuth 2.0',
    meaning: 'the IdP does not let this client do this (wrong credentials, method or grant type)',
    action: 'check the secret and the client’s authentication method and grant types at the IdP',
  },
  access_denied: {
    vendor: 'OAuth 2.0',
    meaning: 'the user or the IdP refused the sign-in',
    action: 'check that the user is assigned to the app at the IdP',
  },
  unsupported_response_type: {
    vendor: 'OAuth 2.0',
    meaning: 'the IdP does not allow the code flow for this client',
    action: 'allow "Authorization Code" for the app at the IdP',
  },
  invalid_scope: {
    vendor: 'OAuth 2.0',
    meaning: 'the IdP refused the scopes asked for',
    action: 'ask only for scopes the app may use (openid email profile)',
  },
  server_error: {
    vendor: 'OAuth 2.0',
    meaning: 'the IdP failed',
    action: 'try again later; if it persists, look at the IdP’s logs',
  },
  temporarily_unavailable: {
    vendor: 'OAuth 2.0',
    meaning: 'the IdP is overloaded or in maintenance',
    action: 'try again later',
  },
  invalid_client: {
    vendor: 'OAuth 2.0',
    meaning: 'the IdP did not accept the client’s credentials (unknown client, wrong secret or wrong method)',
    action: 'check the Client ID, the secret and the client authentication method',
  },
  invalid_grant: {
    vendor: 'OAuth 2.0',
    meaning: 'the code was refused (already used, expired, or the PKCE verifier or redirect URI does not match)',
    action: 'start the sign-in again; check the computer’s clock if it keeps happening',
  },
  unsupported_grant_type: {
    vendor: 'OAuth 2.0',
    meaning: 'the client may not use the authorization code grant',
    action: 'allow "Authorization Code" for the app at the IdP',
  },
  interaction_required: {
    vendor: 'OpenID Connect',
    meaning: 'the IdP needs the user to do something first (MFA, terms)',
    action: 'sign in interactively',
  },
  login_required: {
    vendor: 'OpenID Connect',
    meaning: 'the IdP needs the user to sign in',
    action: 'sign in interactively',
  },
  account_selection_required: {
    vendor: 'OpenID Connect',
    meaning: 'the user must choose an account at the IdP',
    action: 'sign in interactively',
  },
  consent_required: {
    vendor: 'OpenID Connect',
    meaning: 'the user has not consented to this app',
    action: 'sign in interactively and consent, or grant admin consent at the IdP',
  },
  invalid_request_uri: {
    vendor: 'OpenID Connect',
    meaning: 'the IdP refused the request_uri',
    action: 'check the app registration',
  },
  invalid_request_object: {
    vendor: 'OpenID Connect',
    meaning: 'the IdP refused the request object',
    action: 'check the app registration',
  },
  registration_not_supported: {
    vendor: 'OpenID Connect',
    meaning: 'the IdP does not support the registration parameter',
    action: 'report it to SSO Desk support',
  },
};

const GUIDISH = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Finds the entry for an IdP error, and the identifiers support quotes (AADSTS code, trace and correlation IDs). */
export function explainIdpError(e: IdpErrorInput): ExplainedIdpError {
  const description = e.error_description ?? '';
  const aad = /\bAADSTS(\d{5,7})\b/.exec(description)?.[1] ?? null;
  const traceId = e.trace_id ?? new RegExp(`Trace ID:\\s*(${GUIDISH})`, 'i').exec(description)?.[1] ?? null;
  const correlationId =
    e.correlation_id ?? new RegExp(`Correlation ID:\\s*(${GUIDISH})`, 'i').exec(description)?.[1] ?? null;
  let entry: IdpErrorEntry | null = null;
  if (aad && AADSTS[aad]) entry = { id: `AADSTS${aad}`, vendor: ENTRA, ...AADSTS[aad] };
  const okta = /\b(E0000\d{3})\b/.exec(`${e.error ?? ''} ${description}`)?.[1];
  if (!entry && okta && OKTA_CODES[okta]) entry = { id: okta, vendor: 'Okta', ...OKTA_CODES[okta] };
  entry ??= OKTA.find((o) => o.match.test(description))?.entry ?? null;
  entry ??= KEYCLOAK.find((k) => k.match.test(description))?.entry ?? null;
  if (!entry && e.error && RFC[e.error]) entry = { id: e.error, ...RFC[e.error]! };
  return { entry, aadsts: aad ? `AADSTS${aad}` : null, traceId, correlationId };
}

/** "AADSTS50105: the user is not assigned … — assign … (trace ID …, correlation ID …)": for the trace. */
export function describeIdpError(e: IdpErrorInput): string | null {
  const x = explainIdpError(e);
  const ids = [
    x.traceId ? `trace ID ${x.traceId}` : null,
    x.correlationId ? `correlation ID ${x.correlationId}` : null,
  ].filter(Boolean);
  if (!x.entry) return ids.length ? `quote to the IdP’s support: ${ids.join(', ')}` : null;
  return `${x.entry.id}: ${x.entry.meaning} — ${x.entry.action}${ids.length ? ` (${ids.join(', ')})` : ''}`;
}

/** Every catalogued AADSTS code (for the docs and the tests). */
export const CATALOGUED_AADSTS = Object.keys(AADSTS).map((c) => `AADSTS${c}`);

/**
 * What the screen says while a sign-in waits for the IdP: most setups that fail never come back,
 * because the IdP shows its own error page instead of redirecting.
 */
export function waitingHint(redirectUri: string, fixedPort: boolean): string {
  return (
    'If the IdP shows an error page instead of its login page (or right after the password: ' +
    '"This application is not known", "Unauthorized URL"), the IdP refused the request: ' +
    `usually the redirect URL is not registered exactly as ${redirectUri}` +
    `${fixedPort ? '' : ' (Okta and others match the port too: use a fixed port)'}` +
    ', or the Client ID is unknown there (Entra ID: AADSTS700016 / 50011; Okta: "redirect_uri ' +
    'must be a Login redirect URI"; Keycloak: "Invalid parameter: redirect_uri"). Cancel, ' +
    'fix the app at the IdP, and try again.'
  );
}
