import type { ClientAuthMethod } from '@shared/domain';
import type { Db } from './db';

/** Per-account OIDC configuration as stored: the client secret stays encrypted here. */
export interface OidcRow {
  accountId: string;
  enabled: boolean;
  preset: string;
  presetParams: Record<string, string>;
  issuer: string;
  clientId: string;
  clientSecretEnc: string | null;
  scopes: string[];
  redirectHost: '127.0.0.1' | 'localhost';
  enabledAt: number | null;
  enabledBy: string | null;
  updatedAt: number;
  /** null = any loopback port. */
  redirectPort: number | null;
  clientAuth: ClientAuthMethod;
  userClaim: string;
  /** SecretBox ciphertext of the PKCS#8 PEM private key for private_key_jwt. */
  clientKeyEnc: string | null;
  /** The public JWKS of that key, as JSON. */
  clientJwks: string | null;
}

/** The defaults of the columns added by migration 10, for callers that build a row from older inputs. */
export const OIDC_ROW_DEFAULTS = {
  redirectPort: null,
  clientAuth: 'auto',
  userClaim: 'email',
  clientKeyEnc: null,
  clientJwks: null,
} as const;

interface RawOidc {
  account_id: string;
  enabled: number;
  preset: string;
  preset_params: string;
  issuer: string;
  client_id: string;
  client_secret_enc: string | null;
  scopes: string;
  redirect_host: '127.0.0.1' | 'localhost';
  enabled_at: number | null;
  enabled_by: string | null;
  updated_at: number;
  redirect_port: number | null;
  client_auth: ClientAuthMethod;
  user_claim: string;
  client_key_enc: string | null;
  client_jwks: string | null;
}

export function getOidc(db: Db, accountId: string): OidcRow | undefined {
  const r = db.prepare('SELECT * FROM sso_oidc WHERE account_id = ?').get(accountId) as RawOidc | undefined;
  return (
    r && {
      accountId: r.account_id,
      enabled: r.enabled === 1,
      preset: r.preset,
      presetParams: JSON.parse(r.preset_params) as Record<string, string>,
      issuer: r.issuer,
      clientId: r.client_id,
      clientSecretEnc: r.client_secret_enc,
      scopes: JSON.parse(r.scopes) as string[],
      redirectHost: r.redirect_host,
      enabledAt: r.enabled_at,
      enabledBy: r.enabled_by,
      updatedAt: r.updated_at,
      redirectPort: r.redirect_port,
      clientAuth: r.client_auth,
      userClaim: r.user_claim,
      clientKeyEnc: r.client_key_enc,
      clientJwks: r.client_jwks,
    }
  );
}

/** Writes a row; the columns of migration 10 take their defaults when the caller leaves them out. */
export function putOidc(db: Db, row: Omit<OidcRow, keyof typeof OIDC_ROW_DEFAULTS> & Partial<OidcRow>): void {
  const o: OidcRow = { ...OIDC_ROW_DEFAULTS, ...row };
  db.prepare(
    `INSERT INTO sso_oidc (account_id, enabled, preset, preset_params, issuer, client_id, client_secret_enc, scopes,
                           redirect_host, enabled_at, enabled_by, updated_at, redirect_port, client_auth, user_claim,
                           client_key_enc, client_jwks)
     VALUES (@accountId, @enabled, @preset, @presetParams, @issuer, @clientId, @clientSecretEnc, @scopes,
             @redirectHost, @enabledAt, @enabledBy, @updatedAt, @redirectPort, @clientAuth, @userClaim,
             @clientKeyEnc, @clientJwks)
     ON CONFLICT(account_id) DO UPDATE SET enabled = excluded.enabled, preset = excluded.preset,
       preset_params = excluded.preset_params, issuer = excluded.issuer, client_id = excluded.client_id,
       client_secret_enc = excluded.client_secret_enc, scopes = excluded.scopes, redirect_host = excluded.redirect_host,
       enabled_at = excluded.enabled_at, enabled_by = excluded.enabled_by, updated_at = excluded.updated_at,
       redirect_port = excluded.redirect_port, client_auth = excluded.client_auth, user_claim = excluded.user_claim,
       client_key_enc = excluded.client_key_enc, client_jwks = excluded.client_jwks`,
  ).run({
    ...o,
    enabled: o.enabled ? 1 : 0,
    presetParams: JSON.stringify(o.presetParams),
    scopes: JSON.stringify(o.scopes),
  });
}

export interface PassthroughRow {
  accountId: string;
  enabled: boolean;
  url: string;
  method: 'POST' | 'PUT' | 'GET';
  dataAs: 'json' | 'urlencoded' | 'xml';
  authType: 'none' | 'basic';
  headers: Record<string, string>;
  /** Names of headers whose values are secrets (masked like the password); absent = none. */
  secretHeaders?: string[] | undefined;
  body: string;
  forgotPasswordUrl: string | null;
  timeoutMs: number;
  updatedAt: number;
}

interface RawPassthrough {
  account_id: string;
  enabled: number;
  url: string;
  method: PassthroughRow['method'];
  data_as: PassthroughRow['dataAs'];
  auth_type: PassthroughRow['authType'];
  headers: string;
  secret_headers: string;
  body: string;
  forgot_url: string | null;
  timeout_ms: number;
  updated_at: number;
}

export function getPassthrough(db: Db, accountId: string): PassthroughRow | undefined {
  const r = db.prepare('SELECT * FROM sso_passthrough WHERE account_id = ?').get(accountId) as
    RawPassthrough | undefined;
  return (
    r && {
      accountId: r.account_id,
      enabled: r.enabled === 1,
      url: r.url,
      method: r.method,
      dataAs: r.data_as,
      authType: r.auth_type,
      headers: JSON.parse(r.headers) as Record<string, string>,
      secretHeaders: JSON.parse(r.secret_headers) as string[],
      body: r.body,
      forgotPasswordUrl: r.forgot_url,
      timeoutMs: r.timeout_ms,
      updatedAt: r.updated_at,
    }
  );
}

export function putPassthrough(db: Db, p: PassthroughRow): void {
  db.prepare(
    `INSERT INTO sso_passthrough (account_id, enabled, url, method, data_as, auth_type, headers, secret_headers, body,
                                  forgot_url, timeout_ms, updated_at)
     VALUES (@accountId, @enabled, @url, @method, @dataAs, @authType, @headers, @secretHeaders, @body, @forgotPasswordUrl,
             @timeoutMs, @updatedAt)
     ON CONFLICT(account_id) DO UPDATE SET enabled = excluded.enabled, url = excluded.url, method = excluded.method,
       data_as = excluded.data_as, auth_type = excluded.auth_type, headers = excluded.headers,
       secret_headers = excluded.secret_headers, body = excluded.body,
       forgot_url = excluded.forgot_url, timeout_ms = excluded.timeout_ms, updated_at = excluded.updated_at`,
  ).run({
    ...p,
    enabled: p.enabled ? 1 : 0,
    headers: JSON.stringify(p.headers),
    secretHeaders: JSON.stringify(p.secretHeaders ?? []),
  });
}
