import type { Finding, TestReport } from '../../../shared/contract/oidc';
import { checkIssuer } from '../../../shared/oidc-config';
import { discoveryUrl, fetchJson } from './fetch-json';
import { checkIssuerMatch } from './checks/check-issuer-match';
import { checkAuthorizationCode } from './checks/check-authorization-code';
import { checkPkceS256 } from './checks/check-pkce-s256';
import { checkSigningKeys } from './checks/check-signing-keys';
import { checkEndSession } from './checks/check-end-session';

/**
 * "Test connection": fetches the issuer's discovery document (OpenID Connect Discovery 1.0 §4) and
 * its JWKS, and reports each finding in words. Works on any issuer, saved or not; reads nothing
 * from the store and writes nothing; the report never contains a client secret (none is sent).
 * The whole test is bounded by `timeoutMs` per request.
 */
export async function testConnection(issuer: string, opts: { timeoutMs: number; now: () => number; fetch?: typeof fetch }): Promise<TestReport> {
  const started = opts.now();
  const findings: Finding[] = [];
  const report = (): TestReport => ({ issuer, ok: !findings.some((f) => f.level === 'error'), durationMs: opts.now() - started, findings });

  const issuerProblem = checkIssuer(issuer);
  if (issuerProblem) {
    findings.push({ check: 'issuer_url', level: 'error', message: `IdP URL: ${issuerProblem}` });
    return report();
  }
  const where = discoveryUrl(issuer);
  const discovery = await fetchJson(where, opts.timeoutMs, opts.fetch);
  if (discovery.kind === 'unreachable') {
    findings.push({ check: 'discovery', level: 'error', message: `unreachable: ${discovery.message}` });
    return report();
  }
  if (discovery.kind === 'http_error') {
    findings.push({ check: 'discovery', level: 'error', message: `no discovery document: ${discovery.message} (is the IdP URL the issuer?)` });
    return report();
  }
  if (discovery.kind === 'not_json') {
    findings.push({ check: 'discovery', level: 'error', message: `not JSON: ${discovery.message}` });
    return report();
  }
  findings.push({ check: 'discovery', level: 'ok', message: `discovery document found at ${where}` });
  const meta = discovery.body;
  findings.push(checkIssuerMatch(issuer, meta), checkAuthorizationCode(meta), checkPkceS256(meta));

  if (typeof meta.jwks_uri !== 'string') {
    findings.push({ check: 'signing_key', level: 'error', message: 'no usable signing key: the discovery document has no jwks_uri' });
  } else {
    const jwks = await fetchJson(meta.jwks_uri, opts.timeoutMs, opts.fetch);
    if (jwks.kind === 'ok') findings.push(checkSigningKeys(meta, jwks.body));
    else findings.push({ check: 'signing_key', level: 'error', message: `no usable signing key: the JWKS could not be read — ${jwks.message}` });
  }
  findings.push(checkEndSession(meta));
  return report();
}
