import type { PassthroughRow } from '../../store/sso-config';
import { DEFAULT_BODIES, fillSegments, parseTemplate } from '@shared/placeholders';
import type { Placeholder } from '@shared/domain';
import { randomBytes } from 'node:crypto';
import { MASK } from '@shared/trace';
import { redactHeaders } from '@shared/redact';
import {
  checkHeaderValue,
  checkWellFormed,
  encodeFormValue,
  encodeJsonString,
  encodeUrlComponent,
  encodeXmlText,
  UnsafeValue,
} from './escape';

export type PlaceholderValues = Record<Placeholder, string>;

/** The request as it goes on the wire. */
export interface RenderedRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Array<[string, string]>;
  body: string | null;
}

export type RenderResult =
  { ok: true; request: RenderedRequest; redacted: RenderedRequest } | { ok: false; reason: string };

export { MASK };

export const CONTENT_TYPES: Record<PassthroughRow['dataAs'], string> = {
  json: 'application/json; charset=utf-8',
  urlencoded: 'application/x-www-form-urlencoded',
  xml: 'application/xml; charset=utf-8',
};

type RenderConfig = Pick<
  PassthroughRow,
  'url' | 'method' | 'dataAs' | 'authType' | 'headers' | 'body' | 'secretHeaders'
>;

const where = (name: Placeholder, place: string) => `the value of {{${name}}} in ${place}`;

function fill(
  template: string,
  place: string,
  values: PlaceholderValues,
  encode: (v: string, name: Placeholder) => string,
): string {
  const parsed = parseTemplate(template);
  // Saved configurations are validated; this guards a row written by an older version or by hand.
  if (!parsed.ok) throw new UnsafeValue(`${place}: ${parsed.message}`);
  return fillSegments(parsed.segments, (n) => values[n], encode);
}

/**
 * Basic credentials (RFC 7617 §2, with charset="UTF-8" per §2.1): base64 of `user-id ":" password`.
 * @throws UnsafeValue when the user-id contains ":" (§2: it cannot be told from the separator).
 */
export function basicAuthorization(userId: string, password: string): string {
  if (userId.includes(':'))
    throw new UnsafeValue('the email contains ":", which Basic auth cannot carry (RFC 7617 §2)');
  return `Basic ${Buffer.from(`${userId}:${password}`, 'utf8').toString('base64')}`;
}

function renderWith(cfg: RenderConfig, values: PlaceholderValues): RenderedRequest {
  for (const [name, value] of Object.entries(values)) checkWellFormed(value, `the value of {{${name}}}`);
  const url = fill(cfg.url, 'URL', values, encodeUrlComponent);
  const headers: Array<[string, string]> = [];
  for (const [name, template] of Object.entries(cfg.headers)) {
    headers.push([
      name,
      fill(template, `header ${name}`, values, (v, n) => checkHeaderValue(v, where(n, `header ${name}`))),
    ]);
  }
  if (cfg.authType === 'basic')
    headers.push(['Authorization', basicAuthorization(values.USEREMAIL, values.USERPASSWORD)]);
  let body: string | null = null;
  if (cfg.method !== 'GET') {
    const template = cfg.body.trim() === '' ? DEFAULT_BODIES[cfg.dataAs] : cfg.body;
    const encode =
      cfg.dataAs === 'json'
        ? encodeJsonString
        : cfg.dataAs === 'urlencoded'
          ? encodeFormValue
          : (v: string, n: Placeholder) => encodeXmlText(v, where(n, 'the XML body'));
    body = fill(template, 'body', values, encode);
    headers.push(['Content-Type', CONTENT_TYPES[cfg.dataAs]]);
  }
  return { method: cfg.method, url, headers, body };
}

/**
 * Renders the Authentication request for one login: placeholders in URL, headers and body, each value
 * escaped for where it lands, Content-Type from Data As, no body for GET, Basic from email+password.
 * Returns, beside it, the same request with the password masked as `••••` for traces: it is rendered
 * a second time with a random escape-proof marker in the password's place, then the marker masked.
 * A value that cannot be carried safely fails the whole attempt with a reason (never the value).
 */
export function renderRequest(cfg: RenderConfig, values: PlaceholderValues): RenderResult {
  try {
    const request = renderWith(cfg, values);
    const marker = `m${randomBytes(12).toString('hex')}`;
    const shadow = renderWith(cfg, { ...values, USERPASSWORD: marker });
    const mask = (s: string) => s.split(marker).join(MASK);
    const redacted: RenderedRequest = {
      method: shadow.method,
      url: mask(shadow.url),
      // Basic credentials, headers the admin marked secret and secret-looking names (X-Api-Key…) are masked whole.
      headers: redactHeaders(
        shadow.headers.map(([n, v]): [string, string] => [
          n,
          n === 'Authorization' && cfg.authType === 'basic' ? `Basic ${MASK}` : mask(v),
        ]),
        cfg.secretHeaders ?? [],
      ),
      body: shadow.body === null ? null : mask(shadow.body),
    };
    return { ok: true, request, redacted };
  } catch (e) {
    if (e instanceof UnsafeValue) return { ok: false, reason: e.reason };
    throw e;
  }
}

/**
 * Renders the Forgot-password request: a GET to the Forgot-password URL with every placeholder but
 * the password, and the configured headers that do not use it. No body, no Basic credentials.
 */
export function renderForgotRequest(
  cfg: Pick<PassthroughRow, 'forgotPasswordUrl' | 'headers' | 'secretHeaders'>,
  values: Omit<PlaceholderValues, 'USERPASSWORD'>,
): RenderResult {
  if (!cfg.forgotPasswordUrl) return { ok: false, reason: 'no Forgot-password URL is configured' };
  const headers = Object.fromEntries(Object.entries(cfg.headers).filter(([, t]) => !t.includes('{{USERPASSWORD}}')));
  const secretHeaders = cfg.secretHeaders ?? [];
  if (cfg.forgotPasswordUrl.includes('{{USERPASSWORD}}'))
    return { ok: false, reason: 'the Forgot-password URL may not use {{USERPASSWORD}}' };
  const r = renderRequest(
    { url: cfg.forgotPasswordUrl, method: 'GET', dataAs: 'json', authType: 'none', headers, secretHeaders, body: '' },
    { ...values, USERPASSWORD: '' },
  );
  return r;
}
