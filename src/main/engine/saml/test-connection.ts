import { createServer } from 'node:net';
import type { Finding, TestReport } from '@shared/contract/oidc';
import { acsUrl } from '@shared/saml-config';
import type { FetchLike } from '../network/outbound';
import { describeCertificate } from './certificates';
import { BINDING_POST, parseIdpMetadata } from './idp-metadata';
import type { ResolvedSaml } from './config';

/** Whether this computer can bind the ACS port now (false: another program holds it). */
export const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/**
 * Test connection for SAML: the settings as resolved (metadata fetched and parsed), each signing
 * certificate's validity and expiry, whether the SSO URL answers, whether the binding is one SSO Desk
 * speaks, whether the ACS port is free. Changes nothing; each finding in words.
 *
 * Long because it is the ordered list of findings the admin reads as the report (settings, certificates, SSO URL,
 * binding, ACS port).
 */
export async function testSamlConnection(
  r: ResolvedSaml,
  problems: Array<{ field: string; message: string }>,
  opts: { fetch: FetchLike; timeoutMs: number; now: number; acsOwnedByUs: boolean },
): Promise<Omit<TestReport, 'durationMs'>> {
  const findings: Finding[] = problems.map((p) => ({ check: p.field, level: 'error', message: p.message }));
  const tried: TestReport['tried'] = [];
  let verdict: TestReport['verdict'] = 'ok';
  if (r.idpMetadataXml) {
    try {
      const m = parseIdpMetadata(r.idpMetadataXml);
      findings.push({
        check: 'metadata',
        level: 'ok',
        message:
          `metadata of ${m.entityId}: SSO URL ${m.ssoUrl}, ${m.certificates.length} signing ` +
          `certificate${m.certificates.length === 1 ? '' : 's'}`,
      });
      const speaks = m.bindings.filter((b) => /HTTP-(Redirect|POST)$/.test(b));
      findings.push({
        check: 'binding',
        level: speaks.length ? 'ok' : 'error',
        message: speaks.length
          ? `the IdP takes AuthnRequests by ${speaks.map((b) => b.replace(/^.*:/, '')).join(' and ')}; ` +
            `SSO Desk sends ${m.binding.replace(/^.*:/, '')}` +
            `${m.binding === BINDING_POST ? ' (a page on the ACS listener posts it)' : ''} and receives the response by HTTP-POST`
          : 'the IdP lists no HTTP-Redirect or HTTP-POST SingleSignOnService',
      });
    } catch {
      // Already among the problems.
    }
  } else if (r.idpEntityId)
    findings.push({
      check: 'binding',
      level: 'ok',
      message: 'typed by hand: SSO Desk sends the AuthnRequest by HTTP-Redirect to the SSO URL',
    });
  r.idpCerts.forEach((pem, i) => {
    const c = describeCertificate(pem, opts.now);
    if (problems.some((p) => p.field === `idp.certificates.${i}`)) return;
    findings.push({
      check: `certificate ${i + 1}`,
      level: c.status === 'ok' ? 'ok' : c.status === 'expiring' ? 'warning' : 'error',
      message: `${c.subject}: ${c.expiry} (SHA-256 ${c.sha256.slice(0, 23)}…)`,
    });
  });
  if (r.idpSsoUrl && !problems.some((p) => p.field === 'idp.ssoUrl')) {
    try {
      const res = await opts.fetch(r.idpSsoUrl, { redirect: 'manual', signal: AbortSignal.timeout(opts.timeoutMs) });
      await res.body?.cancel().catch(() => undefined);
      tried.push({ what: 'SSO URL', method: 'GET', url: r.idpSsoUrl, outcome: `HTTP ${res.status}` });
      findings.push({
        check: 'sso url',
        level: res.status >= 500 ? 'warning' : 'ok',
        message:
          `${r.idpSsoUrl} answers (HTTP ${res.status}` +
          `${res.status >= 400 && res.status < 500 ? ': expected without an AuthnRequest' : ''})`,
      });
    } catch (error) {
      verdict = 'unreachable';
      tried.push({
        what: 'SSO URL',
        method: 'GET',
        url: r.idpSsoUrl,
        outcome: `no answer: ${(error as Error).message}`,
      });
      findings.push({
        check: 'sso url',
        level: 'error',
        message:
          `${r.idpSsoUrl} does not answer from this computer (${(error as Error).message}): ` +
          `check the URL, the proxy and the trusted CAs in Settings › Network`,
      });
    }
  }
  if (!opts.acsOwnedByUs && !(await portFree(r.acsPort)))
    findings.push({
      check: 'acsPort',
      level: 'error',
      message:
        `the ACS port ${r.acsPort} is in use: another program listens on 127.0.0.1:${r.acsPort}; ` +
        `choose another port and register ${acsUrl(r.acsPort).replace(String(r.acsPort), '<port>')} at the IdP`,
    });
  else
    findings.push({
      check: 'acsPort',
      level: 'ok',
      message: `the ACS ${acsUrl(r.acsPort)} can listen on this computer`,
    });
  if (r.allowSha1)
    findings.push({
      check: 'algorithm',
      level: 'warning',
      message: '"Accept SHA-1" is on: SHA-1 signatures can be forged; switch it off once the IdP signs with SHA-256',
    });
  if (r.allowIdpInitiated)
    findings.push({
      check: 'idp-initiated',
      level: 'warning',
      message: 'IdP-initiated sign-in is allowed: a response not asked for by SSO Desk is accepted (login CSRF risk)',
    });
  const ok = !findings.some((f) => f.level === 'error');
  if (!ok && verdict === 'ok') verdict = 'problems';
  return {
    issuer: r.idpEntityId,
    ok,
    findings,
    verdict,
    tried,
    unchecked: [
      'whether the IdP has the SP entity ID and the ACS URL registered exactly: only a test sign-in shows that',
      'which users the IdP lets in (assignments)',
    ],
  };
}
