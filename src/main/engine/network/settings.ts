import { X509Certificate } from 'node:crypto';
import type { z } from 'zod';
import { fieldsNeedAttention } from '@shared/errors';
import type { NetworkInput, NetworkView } from '@shared/contract/network';
import { getSetting, putSetting } from '../../store/settings';
import type { Db } from '../../store/db';
import { describeChanges, diffSettings } from '../audit/settings-diff';
import { appendAudit } from '../../store/audit';

/** The settings row that holds Settings › Network (JSON). */
export const NETWORK_SETTING = 'network';

/** What bypasses a proxy set in Settings until the admin says otherwise: this machine. */
export const DEFAULT_NO_PROXY = 'localhost, 127.0.0.1, [::1]';

export interface NetworkSettings {
  proxyUrl: string;
  noProxy: string;
  caPem: string;
  updatedAt: number | null;
  updatedBy: string | null;
}

export const EMPTY_NETWORK: NetworkSettings = {
  proxyUrl: '',
  noProxy: DEFAULT_NO_PROXY,
  caPem: '',
  updatedAt: null,
  updatedBy: null,
};

export function loadNetworkSettings(db: Db): NetworkSettings {
  const raw = getSetting<Partial<NetworkSettings> | null>(db, NETWORK_SETTING, null);
  if (!raw || typeof raw !== 'object') return { ...EMPTY_NETWORK };
  const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  return {
    proxyUrl: str(raw.proxyUrl, ''),
    noProxy: str(raw.noProxy, DEFAULT_NO_PROXY),
    caPem: str(raw.caPem, ''),
    updatedAt: typeof raw.updatedAt === 'number' ? raw.updatedAt : null,
    updatedBy: typeof raw.updatedBy === 'string' ? raw.updatedBy : null,
  };
}

interface FieldProblem {
  field: 'proxyUrl' | 'noProxy' | 'caPem';
  message: string;
}

/**
 * A proxy URL as curl and undici take it: http:// or https://, a host, an optional port, nothing else.
 * Credentials in the URL are refused: they would be stored in clear and shown on screen.
 */
export function checkProxyUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value.slice(0, 80)}" is not a URL; write it as http://proxy.example.com:3128`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `a proxy URL must start with http:// or https://, not ${url.protocol}//`;
  if (!url.hostname) return 'the proxy URL has no host';
  if (url.username || url.password)
    return 'credentials in the proxy URL are not supported (they would be stored in clear); use a proxy that lets this computer through';
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash)
    return 'a proxy URL is only scheme, host and port (no path, query or fragment)';
  return null;
}

const NO_PROXY_ENTRY =
  /^(\*|\.?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\]|[0-9a-f:]+:[0-9a-f:.]*)(:\d{1,5})?$/i;

/** The NO_PROXY list: host names, `.domain` or `*.domain` suffixes, IP addresses, optional `:port`. */
export function checkNoProxy(value: string): string | null {
  for (const entry of splitNoProxy(value)) {
    if (!NO_PROXY_ENTRY.test(entry))
      return `"${entry.slice(0, 80)}" is not a host name, domain suffix (.example.com) or IP address`;
  }
  return null;
}

export const splitNoProxy = (value: string): string[] =>
  value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * Parses trusted CA certificates in PEM: one or more `CERTIFICATE` blocks, nothing else.
 * @returns the certificates, or the problem in words.
 */
export function parseCaPem(value: string): { certs: X509Certificate[]; pems: string[] } | { problem: string } {
  const pems: string[] = [];
  const certs: X509Certificate[] = [];
  const labels: string[] = [];
  const rest = value.replace(PEM_BLOCK, (block, label: string) => {
    pems.push(block);
    labels.push(label);
    return '';
  });
  const wrongLabel = labels.find((l) => l !== 'CERTIFICATE');
  if (wrongLabel) {
    return {
      problem: /PRIVATE KEY/.test(wrongLabel)
        ? 'this is a private key, not a certificate: paste the CA’s certificate (never a key)'
        : `a ${wrongLabel} block is not a certificate`,
    };
  }
  if (rest.trim())
    return {
      problem: pems.length
        ? 'there is text outside the PEM blocks'
        : 'not PEM: expected one or more "-----BEGIN CERTIFICATE-----" blocks',
    };
  for (const [i, pem] of pems.entries()) {
    try {
      certs.push(new X509Certificate(pem));
    } catch {
      return { problem: `certificate ${i + 1} does not parse (is the base64 complete?)` };
    }
  }
  return { certs, pems };
}

export function describeCas(caPem: string): NetworkView['cas'] {
  if (!caPem.trim()) return [];
  const parsed = parseCaPem(caPem);
  if ('problem' in parsed) return [];
  return parsed.certs.map((c) => ({
    subject: c.subject.replace(/\n/g, ', '),
    issuer: c.issuer.replace(/\n/g, ', '),
    validTo: new Date(c.validTo).toISOString(),
    fingerprint: c.fingerprint256,
  }));
}

/**
 * Validates Settings › Network and saves it. Every problem names its field; if there is one,
 * nothing is saved. An audit event records what changed (certificates by fingerprint).
 * @throws DeskError `invalid_input` (field = the first bad field).
 */
export function saveNetworkSettings(db: Db, input: z.output<typeof NetworkInput>, now: number): NetworkSettings {
  const proxyUrl = input.proxyUrl.trim();
  const noProxy = splitNoProxy(input.noProxy ?? loadNetworkSettings(db).noProxy).join(', ');
  const caPem = input.caPem.trim();
  const problems: FieldProblem[] = [];
  if (proxyUrl) {
    const p = checkProxyUrl(proxyUrl);
    if (p) problems.push({ field: 'proxyUrl', message: p });
  }
  const np = checkNoProxy(noProxy);
  if (np) problems.push({ field: 'noProxy', message: np });
  if (caPem) {
    const parsed = parseCaPem(caPem);
    if ('problem' in parsed) problems.push({ field: 'caPem', message: parsed.problem });
    else {
      const ca = parsed.certs.find((c) => !c.ca);
      if (ca)
        problems.push({
          field: 'caPem',
          message: `${ca.subject.replace(/\n/g, ', ')} is not a CA certificate (basicConstraints CA:FALSE)`,
        });
    }
  }
  if (problems.length) throw fieldsNeedAttention(problems);
  const before = loadNetworkSettings(db);
  const next: NetworkSettings = { proxyUrl, noProxy, caPem, updatedAt: now, updatedBy: input.actor };
  const shape = (s: NetworkSettings) => ({
    proxyUrl: s.proxyUrl,
    noProxy: s.noProxy,
    cas: describeCas(s.caPem)
      .map((c) => c.fingerprint)
      .join(' '),
  });
  const changes = diffSettings('network', shape(before), shape(next), { plain: ['proxyUrl', 'noProxy', 'cas'] });
  db.transaction(() => {
    putSetting(db, NETWORK_SETTING, next);
    appendAudit(db, {
      at: now,
      kind: 'settings.network',
      accountId: null,
      actor: input.actor,
      outcome: 'ok',
      reason: `network settings saved${changes.length ? `: ${describeChanges(changes)}` : ''}`,
      detail: { changes },
    });
  })();
  return next;
}
