import { scanHarText, type HarEntryLite, type HarScanResult } from '@shared/har-scan';
import type { Diagnosis } from '@shared/contract/diagnose';
import { cleanToken, readTokenShape } from '../token-shape';
import { decodeSaml } from './saml';

/** What pasted text turned out to be: HAR entries, or one exchange made from a URL, SAML message or token. */
export interface ReadText {
  source: Diagnosis['source'];
  scan: HarScanResult;
  /** A pasted token, read on its own. */
  token: string | null;
}

const pseudo = (url: string, body: string | null = null): HarEntryLite => ({
  index: 0,
  startedMs: null,
  method: body === null ? 'GET' : 'POST',
  url,
  requestHeaders: body === null ? [] : [['Content-Type', 'application/x-www-form-urlencoded']],
  requestBody: body,
  status: 0,
  statusText: '',
  responseHeaders: [],
  responseBody: null,
  redirectURL: '',
});

const one = (source: Diagnosis['source'], entry: HarEntryLite): ReadText => ({
  source,
  scan: { kind: 'har', entries: [entry], total: 1, notes: [], creator: null },
  token: null,
});

/** Stands in for the host of a pasted query string, which names none. */
const PASTED = 'https://pasted.invalid/';

/**
 * Reads pasted text: a HAR (JSON), a URL, a query string or fragment, a base64 SAML message, or a
 * token. Never throws; text that is none of these comes back as `unknown` with a note saying so.
 */
export function readText(text: string): ReadText {
  const t = text.trim();
  if (/^[{[]/.test(t)) {
    const scan = scanHarText(t);
    return { source: scan.kind === 'har' ? 'har' : 'unknown', scan, token: null };
  }
  if (/^https?:\/\/\S+$/i.test(t)) return one('url', pseudo(t));
  if (/^[?#]?[\w.-]+=[^\s]*$/.test(t) && t.includes('=')) {
    const qs = t.replace(/^[?#]/, '');
    const params = new URLSearchParams(qs);
    if (params.has('SAMLResponse') && !params.has('SigAlg')) return one('saml', pseudo(PASTED, qs));
    return one('query', pseudo(`${PASTED}?${qs}`));
  }
  const compact = cleanToken(t);
  const shape = readTokenShape(compact);
  if (shape.kind !== 'opaque')
    return { source: 'token', scan: { kind: 'har', entries: [], total: 0, notes: [], creator: null }, token: compact };
  const saml = /^[A-Za-z0-9+/=\s%]+$/.test(t) ? decodeSaml(decodeURIComponent(t)) : null;
  if (saml) {
    const name = /<(?:\w+:)?AuthnRequest\b/.test(saml) ? 'SAMLRequest' : 'SAMLResponse';
    return one('saml', pseudo(PASTED, new URLSearchParams({ [name]: decodeURIComponent(t) }).toString()));
  }
  return {
    source: 'unknown',
    scan: {
      kind: 'not_json',
      entries: [],
      total: 0,
      notes: [
        'The text is not a HAR file, a URL, a query string, a SAML message or a token, so there is nothing to diagnose in it.',
      ],
      creator: null,
    },
    token: null,
  };
}
