import * as client from 'openid-client';
import { DeskError } from '../../../shared/errors';
import { isLoopbackHost } from '../../../shared/oidc-config';
import type { Clock } from '../context';
import { describeNetworkError, discoveryUrl } from './fetch-json';

export interface RelyingParty {
  issuer: string;
  clientId: string;
  /** Clear text, only in memory for the token request; null = public client (PKCE only). */
  clientSecret: string | null;
}

export interface DiscoverOptions {
  timeoutMs: number;
  clock: Clock;
  /** Tests put a man in the middle here (tampered tokens); production leaves it unset. */
  fetch?: client.CustomFetch;
}

/**
 * Discovers the IdP (OpenID Connect Discovery 1.0 §4, with openid-client's issuer check) and returns
 * its metadata.
 * @throws DeskError `idp_unreachable` | `idp_discovery_failed` with the reason in words.
 */
export async function discoverIdp(rp: RelyingParty, opts: DiscoverOptions): Promise<client.ServerMetadata> {
  const server = new URL(rp.issuer);
  try {
    const config = await client.discovery(server, rp.clientId, undefined, client.None(), {
      execute: isInsecureLoopback(server) ? [client.allowInsecureRequests] : [],
      timeout: Math.max(1, Math.ceil(opts.timeoutMs / 1000)),
      ...(opts.fetch ? { [client.customFetch]: opts.fetch } : {}),
    });
    return config.serverMetadata();
  } catch (error) {
    throw discoveryError(error, rp.issuer, opts.timeoutMs);
  }
}

const isInsecureLoopback = (u: URL): boolean => u.protocol === 'http:' && isLoopbackHost(u.hostname);

/**
 * openid-client's Configuration for this relying party, built when it is needed so that it reads
 * the engine's clock at that moment:
 * - a public client authenticates with `none` and sends no client_secret (RFC 8252 §8.4, PKCE only);
 *   a confidential one with client_secret_post;
 * - ID token signatures are verified against the IdP's JWKS (`enableNonRepudiationChecks`), which
 *   openid-client otherwise skips for tokens fetched from the token endpoint over TLS;
 * - http is allowed only for a loopback issuer (the embedded IdP, local test IdPs);
 * - openid-client's "now" (Date.now() + clockSkew) is the engine's clock, so expiry is testable.
 */
export function relyingPartyConfig(meta: client.ServerMetadata, rp: RelyingParty, opts: Omit<DiscoverOptions, 'timeoutMs'>): client.Configuration {
  const auth = rp.clientSecret ? client.ClientSecretPost(rp.clientSecret) : client.None();
  const metadata: Partial<client.ClientMetadata> = {
    ...(rp.clientSecret ? {} : { token_endpoint_auth_method: 'none' }),
    [client.clockSkew]: Math.round((opts.clock.now() - Date.now()) / 1000),
  };
  const config = new client.Configuration(meta, rp.clientId, metadata, auth);
  client.enableNonRepudiationChecks(config);
  if (isInsecureLoopback(new URL(rp.issuer))) client.allowInsecureRequests(config);
  if (opts.fetch) config[client.customFetch] = opts.fetch;
  return config;
}

function discoveryError(error: unknown, issuer: string, timeoutMs: number): DeskError {
  const e = error as { code?: string; message?: string; cause?: unknown };
  if (e?.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || /issuer/i.test(e?.message ?? '') && e?.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') {
    return new DeskError('idp_discovery_failed', `issuer mismatch: the discovery document at ${discoveryUrl(issuer)} names another issuer`, { cause: error, status: 502 });
  }
  if (e?.code === 'OAUTH_RESPONSE_IS_NOT_JSON') {
    return new DeskError('idp_discovery_failed', `${discoveryUrl(issuer)} did not answer JSON`, { cause: error, status: 502 });
  }
  if (e?.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || e?.code === 'OAUTH_INVALID_RESPONSE') {
    return new DeskError('idp_discovery_failed', `${discoveryUrl(issuer)} did not answer a usable discovery document (${e.message})`, { cause: error, status: 502 });
  }
  return new DeskError('idp_unreachable', `the IdP is unreachable: ${describeNetworkError(error, discoveryUrl(issuer), timeoutMs)}`, {
    cause: error,
    status: 502,
  });
}
