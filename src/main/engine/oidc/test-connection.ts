import type { Finding, TestReport, TriedUrl } from '@shared/contract/oidc';
import { checkIssuer } from '@shared/oidc-config';
import { discoveryUrl, fetchJson, idpFailing, type FetchJsonResult } from './fetch-json';
import { checkIssuerMatch } from './checks/check-issuer-match';
import { checkAuthorizationCode } from './checks/check-authorization-code';
import { checkPkceS256 } from './checks/check-pkce-s256';
import { checkSigningKeys } from './checks/check-signing-keys';
import { checkEndSession } from './checks/check-end-session';
import { probeAuthorization } from './authorize-probe';
import type { FetchLike } from '../network/outbound';

export interface TestConnectionOptions {
  timeoutMs: number;
  now: () => number;
  /** The outbound fetch (proxy, trusted CAs); tests may pass their own. */
  fetch?: FetchLike;
  /** "directly" / "through the proxy http://…": said when the IdP cannot be reached. */
  route?: (url: string) => string;
  /** The client to check at the authorization endpoint; without a client ID that check is skipped. */
  client?: {
    clientId: string;
    redirectUri: string;
    /** True when SSO Desk picks a new port at each sign-in (the tried port is only an example). */
    anyPort: boolean;
    scopes: string[];
    secretSet: boolean;
  };
}

const outcomeOf = (r: FetchJsonResult): string =>
  r.kind === 'ok'
    ? `HTTP ${r.status}`
    : r.kind === 'http_error'
      ? `HTTP ${r.status}`
      : `${r.kind.replace('_', ' ')}: ${r.message}`;

/**
 * "Test connection": fetches the issuer's discovery document (OpenID Connect Discovery 1.0 §4) and
 * its JWKS, then asks the authorization endpoint whether it knows this client ID with this redirect
 * URI (see `probeAuthorization`). Reports each finding in words, each URL it tried, and what it could
 * not check. Tells "this computer cannot reach the IdP" (DNS, proxy, TLS, timeout) apart from "the IdP
 * answered no". Works on any issuer, saved or not; reads nothing from the store and writes nothing;
 * never sends the client secret. Each request is bounded by `timeoutMs`.
 *
 * Long because it is the ordered list of checks an admin reads as the report (discovery, issuer, keys, endpoints,
 * client); each is a call into oidc/checks, and a refusal stops the rest.
 */
export async function testConnection(issuer: string, opts: TestConnectionOptions): Promise<TestReport> {
  const started = opts.now();
  const findings: Finding[] = [];
  const tried: TriedUrl[] = [];
  const unchecked: string[] = [];
  let verdict: TestReport['verdict'] | null = null;
  const route = (url: string) => opts.route?.(url) ?? 'directly';
  const report = (): TestReport => {
    const ok = !findings.some((f) => f.level === 'error');
    return {
      issuer,
      ok,
      durationMs: opts.now() - started,
      findings,
      verdict: verdict ?? (ok ? 'ok' : 'problems'),
      tried,
      unchecked,
    };
  };
  const notChecked = (...what: string[]) => unchecked.push(...what);
  const everythingAfterDiscovery = [
    'the signing keys (JWKS): discovery did not answer',
    'whether the IdP knows this client ID and redirect URI: discovery did not answer',
  ];

  const issuerProblem = checkIssuer(issuer);
  if (issuerProblem) {
    findings.push({ check: 'issuer_url', level: 'error', message: `IdP URL: ${issuerProblem}` });
    notChecked('anything at the IdP: the IdP URL is not usable');
    return report();
  }
  const where = discoveryUrl(issuer);
  const discovery = await fetchJson(where, opts.timeoutMs, opts.fetch);
  tried.push({ what: 'discovery document', method: 'GET', url: where, outcome: outcomeOf(discovery) });
  if (discovery.kind === 'unreachable') {
    findings.push({
      check: 'discovery',
      level: 'error',
      message: `this computer cannot reach the IdP (DNS, proxy, TLS) ${route(where)}: ${discovery.message}`,
    });
    verdict = 'unreachable';
    notChecked(...everythingAfterDiscovery);
    return report();
  }
  if (discovery.kind !== 'ok') {
    const message =
      discovery.kind === 'http_error' && discovery.status >= 500
        ? idpFailing(discovery.message, discovery.status)
        : discovery.kind === 'http_error'
          ? `the IdP answered no: ${discovery.message} (is the IdP URL the issuer?)`
          : discovery.kind === 'not_json'
            ? `not JSON: ${discovery.message}`
            : discovery.message;
    findings.push({ check: 'discovery', level: 'error', message });
    notChecked(...everythingAfterDiscovery);
    return report();
  }
  findings.push({ check: 'discovery', level: 'ok', message: `discovery document found at ${where}` });
  const meta = discovery.body;
  findings.push(checkIssuerMatch(issuer, meta), checkAuthorizationCode(meta), checkPkceS256(meta));

  if (typeof meta.jwks_uri !== 'string') {
    findings.push({
      check: 'signing_key',
      level: 'error',
      message: 'no usable signing key: the discovery document has no jwks_uri',
    });
  } else {
    const jwks = await fetchJson(meta.jwks_uri, opts.timeoutMs, opts.fetch);
    tried.push({ what: 'JWKS (signing keys)', method: 'GET', url: meta.jwks_uri, outcome: outcomeOf(jwks) });
    if (jwks.kind === 'ok') findings.push(checkSigningKeys(meta, jwks.body));
    else
      findings.push({
        check: 'signing_key',
        level: 'error',
        message: `no usable signing key: the JWKS could not be read — ${jwks.message}`,
      });
  }
  findings.push(checkEndSession(meta));

  const c = opts.client;
  if (!c || !c.clientId.trim()) {
    notChecked('whether the IdP knows the client: no client ID was given');
  } else if (typeof meta.authorization_endpoint !== 'string') {
    notChecked('whether the IdP knows the client: the discovery document has no authorization_endpoint');
  } else {
    const prompts = meta.prompt_values_supported;
    const promptNone = !Array.isArray(prompts) || prompts.includes('none');
    const probe = await probeAuthorization(meta.authorization_endpoint, {
      clientId: c.clientId.trim(),
      redirectUri: c.redirectUri,
      scopes: c.scopes,
      promptNone,
      fetch: opts.fetch ?? (fetch as FetchLike),
      timeoutMs: opts.timeoutMs,
      route: route(meta.authorization_endpoint),
    });
    findings.push(probe.finding);
    tried.push(probe.tried);
    if (probe.outcome === 'refused') verdict = 'refused';
    else if (probe.outcome === 'unreachable') verdict = 'unreachable';
    else if (probe.outcome === 'unconfirmed' && !findings.some((f) => f.level === 'error')) verdict = 'unconfirmed';
    if (!promptNone)
      notChecked(
        'a silent check (prompt=none): the IdP does not list it, so its answer may be a login page for any client',
      );
    if (c.anyPort) {
      notChecked(
        `other redirect ports: the check used ${c.redirectUri}, but SSO Desk picks a new port ` +
          `at each sign-in — an IdP that matches the port exactly (Okta, Glewlwyd) needs a fixed port`,
      );
    }
  }
  notChecked(
    c?.secretSet
      ? 'the client secret: Test connection never sends it; the first sign-in’s token request checks it'
      : 'the client authentication at the token endpoint: only a sign-in’s token request shows it',
    'the client authentication method (client_secret_basic, client_secret_post, private_key_jwt): only the token request shows it',
    'whether a given user is assigned to the application and may consent to the scopes: only a sign-in shows it',
  );
  return report();
}
