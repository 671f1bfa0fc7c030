/**
 * Identity-provider presets for the OIDC form: which few values a vendor's issuer URL is built from,
 * how it is built, and the vendor's own steps for creating the app and registering the redirect.
 * Pure TypeScript: the Settings form and the engine's save validation use the same definitions.
 */
import type { Preset } from './domain';

export interface PresetParam {
  key: string;
  label: string;
  /** Shown under the field: where the admin finds the value. */
  hint: string;
  placeholder: string;
  required: boolean;
  /** Allowed values, for a choice (PingOne region). */
  choices?: ReadonlyArray<{ value: string; label: string }>;
  /** Returns a reason when the value is unusable, in words. */
  check(value: string): string | null;
}

export interface PresetDefinition {
  id: Exclude<Preset, 'generic'>;
  vendor: string;
  params: readonly PresetParam[];
  /** Builds the issuer from params that passed `check`. */
  issuer(params: Readonly<Record<string, string>>): string;
  /** The vendor's steps, with `{redirect}` standing for the Redirect URL to register. */
  steps: readonly string[];
  docsUrl: string;
  /**
   * What the vendor needs of the redirect: `fixed` = it matches the port exactly (choose a fixed port,
   * `proposedPort` is offered); `any` = any loopback port (RFC 8252 §7.3); `no-port` = register it
   * without a port and the IdP accepts any.
   */
  redirect: { port: 'fixed' | 'any' | 'no-port'; proposedPort?: number; note: string };
  /** The claim that identifies users at this vendor, and why (shown beside the field). */
  userClaim?: { suggested: string; note: string };
  /** The client authentication method this vendor's app type uses. */
  clientAuth?: {
    suggested: 'auto' | 'client_secret_basic' | 'client_secret_post' | 'none' | 'private_key_jwt';
    note: string;
  };
}

/** The fixed port the Okta preset proposes (any free port from 1024 to 65535 works; register the same one). */
export const OKTA_PROPOSED_PORT = 8765;

// A DNS name (no scheme, path or port): the part of an Okta org URL an admin copies.
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const hostname = (what: string) => (v: string) =>
  HOSTNAME.test(v) ? null : `expected a ${what} such as dev-123456.okta.com (no https://, no path)`;

export const PING_REGIONS = [
  { value: 'com', label: 'North America (auth.pingone.com)' },
  { value: 'eu', label: 'Europe (auth.pingone.eu)' },
  { value: 'ca', label: 'Canada (auth.pingone.ca)' },
  { value: 'asia', label: 'Asia-Pacific (auth.pingone.asia)' },
] as const;

export const PRESET_DEFINITIONS: readonly PresetDefinition[] = [
  {
    id: 'okta',
    vendor: 'Okta',
    params: [
      {
        key: 'domain',
        label: 'Okta domain',
        hint: 'Admin Console, top right menu: the org URL without https://',
        placeholder: 'dev-123456.okta.com',
        required: true,
        check: hostname('domain'),
      },
      {
        key: 'authorizationServer',
        label: 'Authorization server',
        hint: 'Security > API > Authorization Servers: "default" or your server’s ID; leave empty for the org server',
        placeholder: 'default',
        required: false,
        check: (v) =>
          v === '' || /^[A-Za-z0-9_-]{1,64}$/.test(v)
            ? null
            : 'expected "default" or an authorization server ID (letters, digits, - and _)',
      },
    ],
    issuer: (p) =>
      p.authorizationServer ? `https://${p.domain}/oauth2/${p.authorizationServer}` : `https://${p.domain}`,
    steps: [
      'In the Okta Admin Console open Applications > Applications and choose "Create App Integration".',
      'Pick "OIDC - OpenID Connect" and application type "Native Application", then Next.',
      'Grant type: keep "Authorization Code"; Okta enforces PKCE for native apps.',
      'Sign-in redirect URIs: add exactly {redirect}. Okta matches the redirect exactly, port included: keep the fixed port chosen here.',
      'Under Assignments, give the app to the people or groups who use SSO Desk, then Save.',
      'Copy the Client ID from the General tab into this form; native apps have no client secret.',
    ],
    docsUrl: 'https://developer.okta.com/docs/guides/sign-into-desktop-app/main/',
    redirect: {
      port: 'fixed',
      proposedPort: OKTA_PROPOSED_PORT,
      note: 'Okta compares the redirect URI exactly, port included: SSO Desk listens on one fixed port, registered as is.',
    },
    clientAuth: {
      suggested: 'auto',
      note: 'Native apps are public (none, PKCE); a web app with a secret uses client_secret_basic.',
    },
  },
  {
    id: 'entra',
    vendor: 'Microsoft Entra ID',
    params: [
      {
        key: 'tenant',
        label: 'Directory (tenant) ID',
        hint: 'Entra admin center > Overview: the tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com',
        placeholder: '00000000-0000-0000-0000-000000000000',
        required: true,
        check: (v) =>
          UUID.test(v) || HOSTNAME.test(v)
            ? null
            : 'expected the tenant ID (a GUID) or a domain such as contoso.onmicrosoft.com; "common" ' +
              'and "organizations" cannot be checked against one issuer',
      },
    ],
    issuer: (p) => `https://login.microsoftonline.com/${p.tenant}/v2.0`,
    steps: [
      'In the Microsoft Entra admin center open Identity > Applications > App registrations and choose "New registration".',
      'Name the app, choose who may sign in (usually "this organizational directory only").',
      'Redirect URI: platform "Public client/native (mobile & desktop)", value {redirect}. Entra ignores the port of a loopback redirect.',
      'Register, then copy "Application (client) ID" into Client ID and "Directory (tenant) ID" into the tenant field here.',
      'Under API permissions keep openid, email and profile (Microsoft Graph, delegated).',
      'Users often have no email claim in Entra ID tokens: keep "preferred_username" (the ' +
        'sign-in name) as the claim that identifies the user unless your users all have a mail attribute.',
    ],
    docsUrl: 'https://learn.microsoft.com/entra/identity-platform/quickstart-register-app',
    redirect: {
      port: 'any',
      note: 'Entra ID ignores the port of a loopback redirect URI: register it without a port.',
    },
    userClaim: {
      suggested: 'preferred_username',
      note:
        'Entra ID sends email only when the user has a mail attribute; preferred_username ' +
        '(or upn) carries the sign-in name, e.g. ann@contoso.com.',
    },
    clientAuth: {
      suggested: 'auto',
      note:
        'A "Public client/native" registration has no secret (none); with a secret Entra ID ' +
        'takes client_secret_basic or client_secret_post.',
    },
  },
  {
    id: 'ping',
    vendor: 'PingOne',
    params: [
      {
        key: 'region',
        label: 'Region',
        hint: 'The domain of your PingOne admin console',
        placeholder: 'com',
        required: true,
        choices: PING_REGIONS,
        check: (v) => (PING_REGIONS.some((r) => r.value === v) ? null : 'expected one of com, eu, ca, asia'),
      },
      {
        key: 'environmentId',
        label: 'Environment ID',
        hint: 'Environment > Properties: the environment ID (a GUID)',
        placeholder: '00000000-0000-0000-0000-000000000000',
        required: true,
        check: (v) => (UUID.test(v) ? null : 'expected the environment ID, a GUID'),
      },
    ],
    issuer: (p) => `https://auth.pingone.${p.region}/${p.environmentId}/as`,
    steps: [
      'In the PingOne admin console open Applications > Applications and click +.',
      'Name the app, choose application type "Native", then Save.',
      'On the Configuration tab: Response Type "Code", Grant Type "Authorization Code", PKCE Enforcement "S256_REQUIRED".',
      'Token Endpoint Authentication Method: "None" (a public client; PKCE protects the exchange).',
      'Redirect URIs: add {redirect}.',
      'Turn the application on (toggle at the top right) and copy its Client ID into this form.',
    ],
    docsUrl: 'https://docs.pingidentity.com/pingone/applications/p1_add_app_worker.html',
    redirect: { port: 'any', note: 'PingOne accepts any port on a loopback redirect URI.' },
    clientAuth: { suggested: 'none', note: 'Token Endpoint Authentication Method "None": a public client with PKCE.' },
  },
  {
    id: 'keycloak',
    vendor: 'Keycloak',
    params: [
      {
        key: 'host',
        label: 'Keycloak host',
        hint: 'The host of your Keycloak server, with its port if it has one (no https://)',
        placeholder: 'sso.example.com',
        required: true,
        check: (v) =>
          /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(v) && HOSTNAME.test(v.replace(/:\d+$/, ''))
            ? null
            : 'expected a host such as sso.example.com or sso.example.com:8443',
      },
      {
        key: 'realm',
        label: 'Realm',
        hint: 'The realm your users are in (top left of the admin console)',
        placeholder: 'master',
        required: true,
        check: (v) => (/^[A-Za-z0-9._-]{1,100}$/.test(v) ? null : 'expected a realm name (letters, digits, . _ -)'),
      },
    ],
    issuer: (p) => `https://${p.host}/realms/${p.realm}`,
    steps: [
      'In the Keycloak admin console choose the realm, open Clients and choose "Create client" (type OpenID Connect).',
      'Client ID: e.g. sso-desk. Client authentication: Off for a public client (PKCE), On for a confidential one.',
      'Authentication flow: keep "Standard flow" only. Under Advanced, set "Proof Key for Code Exchange Code Challenge Method" to S256.',
      'Valid redirect URIs: add {redirect} without a port: Keycloak accepts any port on a loopback redirect registered without one.',
      'Confidential client: copy the secret from the Credentials tab ("Client Id and Secret" ' +
        '= client_secret_basic or _post), or choose "Signed JWT" and paste the JWKS SSO Desk ' +
        'shows (private_key_jwt).',
    ],
    docsUrl: 'https://www.keycloak.org/docs/latest/server_admin/#_oidc_clients',
    redirect: {
      port: 'no-port',
      note: 'Register http://127.0.0.1/callback without a port: Keycloak then accepts any loopback port.',
    },
    clientAuth: {
      suggested: 'auto',
      note: 'Keycloak offers client_secret_basic, client_secret_post and private_key_jwt ("Signed JWT").',
    },
  },
  {
    id: 'google',
    vendor: 'Google',
    params: [],
    issuer: () => 'https://accounts.google.com',
    steps: [
      'In the Google Cloud console open APIs & Services › Credentials and choose "Create credentials › OAuth client ID".',
      'Application type: "Desktop app". Google accepts any loopback port for desktop clients; ' +
        'nothing to register as redirect ({redirect}).',
      'Copy the Client ID and the client secret into this form (Google’s desktop clients ' +
        'have a secret; it is not confidential, PKCE protects the exchange).',
      'On the OAuth consent screen, add the scopes openid, email and profile.',
    ],
    docsUrl: 'https://developers.google.com/identity/protocols/oauth2/native-app',
    redirect: { port: 'any', note: 'Google desktop clients accept any loopback port (http://127.0.0.1:<port>).' },
    clientAuth: { suggested: 'auto', note: 'Google takes client_secret_post or client_secret_basic.' },
  },
];

export const findPreset = (id: string): PresetDefinition | undefined => PRESET_DEFINITIONS.find((p) => p.id === id);

/** Each bad preset value, by param key, or the issuer built from them. */
export function buildPresetIssuer(
  id: string,
  params: Readonly<Record<string, string>>,
): { ok: true; issuer: string } | { ok: false; errors: Array<{ key: string; message: string }> } {
  const preset = findPreset(id);
  if (!preset) return { ok: false, errors: [{ key: 'preset', message: `unknown preset "${id}"` }] };
  const errors: Array<{ key: string; message: string }> = [];
  const clean: Record<string, string> = {};
  for (const p of preset.params) {
    const value = (params[p.key] ?? '').trim();
    clean[p.key] = value;
    if (value === '') {
      if (p.required) errors.push({ key: p.key, message: `${p.label} is required` });
      continue;
    }
    const problem = p.check(value);
    if (problem) errors.push({ key: p.key, message: problem });
  }
  return errors.length ? { ok: false, errors } : { ok: true, issuer: preset.issuer(clean) };
}

/**
 * The Redirect URL an admin registers at the IdP: loopback, no port (RFC 8252 §7.3: any port is
 * allowed), or with the fixed port for IdPs that match it exactly.
 */
export const registeredRedirectUri = (host: '127.0.0.1' | 'localhost', port: number | null = null): string =>
  port === null ? `http://${host}/callback` : `http://${host}:${port}/callback`;

/**
 * The redirect port after switching from preset `from` to preset `to` (null = any port). A vendor
 * that matches the port exactly (Okta) gets its proposed fixed port when the form had "any port"; a
 * port a preset proposed goes back to "any port" when the next vendor accepts any. A port the admin
 * chose stays as it is: switching preset rebuilds or clears only what a preset built.
 */
export function redirectPortAfterPresetSwitch(from: string, to: string, port: number | null): number | null {
  const before = findPreset(from)?.redirect;
  const after = findPreset(to)?.redirect;
  if (after?.port === 'fixed') return port ?? after.proposedPort ?? OKTA_PROPOSED_PORT;
  if (before?.port === 'fixed' && port !== null && port === (before.proposedPort ?? OKTA_PROPOSED_PORT)) return null;
  return port;
}
