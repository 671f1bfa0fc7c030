import { fetchJson } from '../oidc/fetch-json';
import type { FetchLike } from '../network/outbound';

/** Discovery either yields the issuer's JWKS or says which step failed and why. */
export type DiscoveryResult =
  | { ok: true; configUrl: string; jwksUri: string; jwks: unknown }
  | { ok: false; step: 'issuer' | 'configuration' | 'jwks'; detail: string };

export interface DiscoveryOptions {
  /** Per request; default 5 s. */
  timeoutMs?: number;
  /** The outbound fetch (proxy, trusted CAs); default: the global fetch. */
  fetch?: FetchLike | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_BYTES = 1024 * 1024;

/**
 * The OpenID Provider Configuration URL of an issuer: the issuer with any trailing `/` removed, then
 * `/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4.1).
 */
export function configurationUrl(issuer: string): URL {
  const url = new URL(issuer);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  return url;
}

/**
 * Finds an issuer's signing keys from its `iss`: fetches the configuration, checks that its `issuer`
 * is exactly `iss` (Discovery §4.3, so one IdP cannot vouch for another), then fetches `jwks_uri`.
 * Plain http is allowed only on loopback, as openid-client does. Never throws.
 */
export async function discoverJwks(iss: unknown, opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  if (typeof iss !== 'string' || !iss)
    return {
      ok: false,
      step: 'issuer',
      detail: 'The token has no iss claim, so there is no issuer to discover keys from.',
    };
  let configUrl: URL;
  try {
    configUrl = configurationUrl(iss);
  } catch {
    return { ok: false, step: 'issuer', detail: `The issuer "${iss}" is not a URL, so its keys cannot be discovered.` };
  }
  const insecure = insecureReason(configUrl, 'issuer');
  if (insecure) return { ok: false, step: 'issuer', detail: insecure };

  const config = await fetchJson(configUrl.href, timeoutMs, opts.fetch, MAX_BYTES);
  if (config.kind !== 'ok')
    return { ok: false, step: 'configuration', detail: `Issuer discovery failed: ${sentence(config.message)}` };
  const doc = config.body;
  if (doc.issuer !== iss) {
    return {
      ok: false,
      step: 'configuration',
      detail:
        `Issuer mismatch: the token says iss "${iss}" but ${configUrl.href} says issuer ${JSON.stringify(doc.issuer ?? null)}. ` +
        `Keys of one issuer cannot vouch for another.`,
    };
  }
  if (typeof doc.jwks_uri !== 'string' || !doc.jwks_uri) {
    return {
      ok: false,
      step: 'configuration',
      detail: `Issuer discovery failed: ${configUrl.href} has no jwks_uri, so the issuer publishes no signing keys.`,
    };
  }
  let jwksUrl: URL;
  try {
    jwksUrl = new URL(doc.jwks_uri);
  } catch {
    return {
      ok: false,
      step: 'configuration',
      detail: `Issuer discovery failed: jwks_uri "${doc.jwks_uri}" is not a URL.`,
    };
  }
  const insecureJwks = insecureReason(jwksUrl, 'jwks_uri');
  if (insecureJwks) return { ok: false, step: 'configuration', detail: insecureJwks };
  const jwks = await fetchJson(jwksUrl.href, timeoutMs, opts.fetch, MAX_BYTES);
  if (jwks.kind !== 'ok')
    return { ok: false, step: 'jwks', detail: `Fetching the issuer's keys failed: ${sentence(jwks.message)}` };
  return { ok: true, configUrl: configUrl.href, jwksUri: jwksUrl.href, jwks: jwks.body };
}

function insecureReason(url: URL, what: string): string | null {
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return null;
  return `The ${what} ${url.href} is not https; SSO Desk fetches keys over plain http only from this machine (loopback).`;
}

const sentence = (message: string): string => (/[.!?)]$/.test(message) ? message : `${message}.`);
