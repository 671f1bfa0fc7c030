import * as client from 'openid-client';
import { DeskError } from '@shared/errors';
import { isLoopbackHost } from '@shared/oidc-config';
import { matchIssuer, type IssuerMatch } from '@shared/issuer-match';
import type { ClientAuthMethod, EffectiveClientAuth } from '@shared/domain';
import type { Clock } from '../context';
import { describeNetworkError, discoveryUrl, idpFailing } from './fetch-json';
import { clientSigningKey } from './client-key';

export interface RelyingParty {
  issuer: string;
  clientId: string;
  /** Clear text, only in memory for the token request; null = public client (PKCE only). */
  clientSecret: string | null;
  /** As configured; `auto` (default) is decided from discovery by `chooseClientAuth`. */
  clientAuth?: ClientAuthMethod;
  /** private_key_jwt: the PKCS#8 PEM (clear, in memory only) and its algorithm and key id. */
  clientKey?: { privatePem: string; alg: string; kid: string } | null;
}

export interface DiscoverOptions {
  timeoutMs: number;
  clock: Clock;
  /** Tests put a man in the middle here (tampered tokens); production leaves it unset. */
  fetch?: client.CustomFetch;
}

export interface Discovered {
  meta: client.ServerMetadata;
  /** How the reported issuer relates to the IdP URL (Entra ID's domain tenants and `{tenantid}` templates). */
  match: IssuerMatch;
}

/**
 * Discovers the IdP (OpenID Connect Discovery 1.0 §4) and checks the issuer it reports against the
 * IdP URL: equal, or one of Microsoft Entra ID's two documented shapes (see `matchIssuer`).
 * @throws DeskError `idp_unreachable` | `idp_discovery_failed` with the reason in words.
 */
export async function discoverIdp(rp: RelyingParty, opts: DiscoverOptions): Promise<Discovered> {
  const server = new URL(rp.issuer);
  let meta: client.ServerMetadata;
  try {
    // The .well-known URL itself: openid-client then leaves the issuer comparison to `matchIssuer`.
    const config = await client.discovery(new URL(discoveryUrl(rp.issuer)), rp.clientId, undefined, client.None(), {
      execute: isInsecureLoopback(server) ? [client.allowInsecureRequests] : [],
      timeout: Math.max(1, Math.ceil(opts.timeoutMs / 1000)),
      ...(opts.fetch ? { [client.customFetch]: opts.fetch } : {}),
    });
    meta = config.serverMetadata();
  } catch (error) {
    throw discoveryError(error, rp.issuer, opts.timeoutMs);
  }
  const match = matchIssuer(rp.issuer, meta.issuer);
  if (match.kind === 'mismatch') {
    const hint =
      meta.issuer.replace(/\/$/, '') === rp.issuer.replace(/\/$/, '')
        ? ' (they differ only by a trailing slash, which counts)'
        : '';
    throw new DeskError(
      'idp_discovery_failed',
      `issuer mismatch: the discovery document at ${discoveryUrl(rp.issuer)} names another issuer ("${meta.issuer}")${hint}`,
      { status: 502 },
    );
  }
  return { meta, match };
}

const isInsecureLoopback = (u: URL): boolean => u.protocol === 'http:' && isLoopbackHost(u.hostname);

/**
 * Which client authentication the token request uses (OpenID Connect Core 1.0 §9). A chosen method
 * is used as is; `auto` reads the IdP's `token_endpoint_auth_methods_supported`: with a secret,
 * client_secret_basic when listed or when nothing is listed (its default), else client_secret_post;
 * with only a key pair, private_key_jwt; without either, none (a public client, PKCE only).
 */
export function chooseClientAuth(
  rp: RelyingParty,
  meta: client.ServerMetadata,
): { method: EffectiveClientAuth; why: string } {
  const configured = rp.clientAuth ?? 'auto';
  if (configured !== 'auto') return { method: configured, why: 'as chosen in the settings' };
  const listed = Array.isArray(meta.token_endpoint_auth_methods_supported)
    ? meta.token_endpoint_auth_methods_supported
    : null;
  const says = listed
    ? `the IdP lists ${listed.join(', ') || 'nothing'}`
    : 'the IdP lists no token_endpoint_auth_methods_supported';
  if (rp.clientSecret) {
    if (!listed || listed.includes('client_secret_basic'))
      return { method: 'client_secret_basic', why: `auto: ${says}` };
    if (listed.includes('client_secret_post')) return { method: 'client_secret_post', why: `auto: ${says}` };
    if (rp.clientKey && listed.includes('private_key_jwt')) return { method: 'private_key_jwt', why: `auto: ${says}` };
    return { method: 'client_secret_basic', why: `auto: ${says}, none of them a secret method; trying the default` };
  }
  if (rp.clientKey && (!listed || listed.includes('private_key_jwt')))
    return { method: 'private_key_jwt', why: `auto: a key pair and no secret; ${says}` };
  return { method: 'none', why: 'auto: no client secret — a public client (PKCE only)' };
}

/**
 * application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks for the Basic credentials (Appendix B):
 * letters, digits and `*-._` stay as they are, a space becomes `+`, the rest is %XX of its UTF-8.
 */
export const formUrlEncode = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);

/**
 * openid-client's ClientSecretBasic, with the credentials re-encoded as RFC 6749 §2.3.1 says:
 * openid-client (oauth4webapi 3) also escapes `-`, `.`, `_`, `*` (`desk-app` → `desk%2Dapp`), which
 * IdPs that do not percent-decode the Basic credentials take for another client ID.
 */
export function clientSecretBasic(secret: string): client.ClientAuth {
  const inner = client.ClientSecretBasic(secret);
  return async (as, c, body, headers) => {
    await inner(as, c, body, headers);
    headers.set(
      'authorization',
      `Basic ${Buffer.from(`${formUrlEncode(c.client_id)}:${formUrlEncode(secret)}`, 'utf8').toString('base64')}`,
    );
  };
}

/** openid-client's ClientAuth for a method; private_key_jwt signs with the account's key (aud = token endpoint). */
export async function clientAuthFor(
  method: EffectiveClientAuth,
  rp: RelyingParty,
  meta: client.ServerMetadata,
): Promise<client.ClientAuth> {
  switch (method) {
    case 'client_secret_basic':
    case 'client_secret_post':
      if (!rp.clientSecret)
        throw new DeskError(
          'config_incomplete',
          `${method} needs a client secret and none is set: add it in Settings › Security › SSO`,
          { status: 409 },
        );
      return method === 'client_secret_basic'
        ? clientSecretBasic(rp.clientSecret)
        : client.ClientSecretPost(rp.clientSecret);
    case 'private_key_jwt': {
      if (!rp.clientKey)
        throw new DeskError(
          'config_incomplete',
          'private_key_jwt needs a key pair and none is set: generate one in Settings › Security › SSO',
          { status: 409 },
        );
      const key = await clientSigningKey(rp.clientKey.privatePem, rp.clientKey.alg);
      // RFC 7523 §3: aud identifies the authorization server; the token endpoint URL is what Okta and Entra ID require.
      return client.PrivateKeyJwt(
        { key, kid: rp.clientKey.kid },
        { [client.modifyAssertion]: (_h, payload) => void (payload.aud = meta.token_endpoint ?? meta.issuer) },
      );
    }
    case 'none':
      return client.None();
  }
}

/**
 * openid-client's Configuration for this relying party, built when it is needed so that it reads
 * the engine's clock at that moment:
 * - the client authenticates with `auth` (see `chooseClientAuth`); a public client sends no secret;
 * - ID token signatures are verified against the IdP's JWKS (`enableNonRepudiationChecks`), which
 *   openid-client otherwise skips for tokens fetched from the token endpoint over TLS;
 * - http is allowed only for a loopback issuer (the embedded IdP, local test IdPs);
 * - openid-client's "now" (Date.now() + clockSkew) is the engine's clock, so expiry is testable.
 */
export function relyingPartyConfig(
  meta: client.ServerMetadata,
  rp: RelyingParty,
  opts: Omit<DiscoverOptions, 'timeoutMs'> & { auth?: { method: EffectiveClientAuth; clientAuth: client.ClientAuth } },
): client.Configuration {
  const auth = opts.auth ?? { method: 'none' as const, clientAuth: client.None() };
  const metadata: Partial<client.ClientMetadata> = {
    token_endpoint_auth_method: auth.method,
    [client.clockSkew]: Math.round((opts.clock.now() - Date.now()) / 1000),
  };
  const config = new client.Configuration(meta, rp.clientId, metadata, auth.clientAuth);
  client.enableNonRepudiationChecks(config);
  if (isInsecureLoopback(new URL(rp.issuer))) client.allowInsecureRequests(config);
  if (opts.fetch) config[client.customFetch] = opts.fetch;
  return config;
}

function discoveryError(error: unknown, issuer: string, timeoutMs: number): DeskError {
  const e = error as { code?: string; message?: string; cause?: unknown };
  if (e?.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
    return new DeskError('idp_discovery_failed', `${discoveryUrl(issuer)} did not answer JSON`, {
      cause: error,
      status: 502,
    });
  }
  // openid-client may wrap oauth4webapi's error; the HTTP answer is the cause of the innermost one.
  const answer = [e?.cause, (e?.cause as { cause?: unknown } | undefined)?.cause].find(
    (c): c is Response => c instanceof Response,
  );
  if (answer && answer.status !== 200) {
    const status = `HTTP ${answer.status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
    const message =
      answer.status >= 500
        ? idpFailing(`${discoveryUrl(issuer)} answered ${status}`, answer.status)
        : `the IdP answered no: ${discoveryUrl(issuer)} answered ${status}, expected 200 (is the IdP URL the issuer?)`;
    return new DeskError('idp_discovery_failed', message, { cause: error, status: 502 });
  }
  if (
    e?.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' ||
    e?.code === 'OAUTH_INVALID_RESPONSE' ||
    e?.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED'
  ) {
    return new DeskError(
      'idp_discovery_failed',
      `${discoveryUrl(issuer)} did not answer a usable discovery document (${e.message})`,
      { cause: error, status: 502 },
    );
  }
  return new DeskError(
    'idp_unreachable',
    `the IdP is unreachable: ${describeNetworkError(error, discoveryUrl(issuer), timeoutMs)}`,
    {
      cause: error,
      status: 502,
    },
  );
}
