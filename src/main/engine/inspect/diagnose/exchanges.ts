import { isSecretHeader, isSecretName, redactHttp } from '@shared/redact';
import { MASK, type TraceHttp } from '@shared/trace';
import type { HarEntryLite } from '@shared/har-scan';
import type { DecodedField } from '@shared/contract/diagnose';
import { readTokenShape } from '../token-shape';
import { decodeSaml, samlField } from './saml';
import { headerOf, type Exchange } from './model';

/** Parameters that are secrets even though redact.ts does not list them: a SAML message is a bearer assertion. */
const ALSO_SECRET = new Set(['samlresponse']);
const TOKEN_PARAMS = ['id_token', 'access_token', 'refresh_token', 'logout_token'];

function paramsOf(e: HarEntryLite): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const url = new URL(e.url);
    for (const [k, v] of url.searchParams) out.set(k, v);
    // Implicit and hybrid flows answer in the fragment (OpenID Connect Core §3.2.2.5).
    if (url.hash.length > 1) for (const [k, v] of new URLSearchParams(url.hash.slice(1))) out.set(k, v);
  } catch {
    // A URL the browser could not parse either: no parameters.
  }
  const type = headerOf(e.requestHeaders, 'content-type') ?? '';
  if (
    e.requestBody &&
    (type.includes('x-www-form-urlencoded') || /^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(e.requestBody))
  )
    for (const [k, v] of new URLSearchParams(e.requestBody)) out.set(k, v);
  return out;
}

function jsonOf(body: string | null): Record<string, unknown> | null {
  if (!body || !/^\s*\{/.test(body)) return null;
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

/** What an exchange is, by its parameters first and its path second. */
export function kindOf(
  e: HarEntryLite,
  p: Map<string, string>,
  json: Record<string, unknown> | null,
): Exchange['kind'] | null {
  const path = pathOf(e.url);
  if (/\/\.well-known\/openid-configuration$/.test(path)) return 'discovery';
  if (p.has('SAMLResponse')) return 'saml_response';
  if (p.has('SAMLRequest')) return 'saml_request';
  if (p.has('grant_type') || (e.method === 'POST' && /\/token$/.test(path))) return 'token';
  if (p.has('response_type') || (p.has('client_id') && p.has('redirect_uri') && !p.has('code'))) return 'authorize';
  if ((p.has('code') || p.has('error') || p.has('id_token')) && (p.has('state') || /callback|redirect/i.test(path)))
    return 'callback';
  if (/userinfo/i.test(path)) return 'userinfo';
  if (json && Array.isArray(json.keys)) return 'jwks';
  if (/\/auth\/sso\/[A-Za-z0-9_-]{16,}/.test(path)) return 'deep_link';
  if (/\/auth\/login$/.test(path)) return 'sso_desk_login';
  if (/logout|end_session|signout/i.test(path)) return 'logout';
  if (e.requestBody && /(^|&)(password|passwd|pwd)=/.test(e.requestBody)) return 'login';
  if (/login|signin|sign-in|interaction/i.test(path)) return 'login';
  if (e.status >= 300 && e.status < 400) return 'redirect';
  if (e.status >= 400 || e.status === 0) return 'error';
  return null;
}

const STEP: Record<Exchange['kind'], string> = {
  discovery: 'discovery',
  authorize: 'authorize',
  login: 'IdP sign-in',
  callback: 'callback',
  token: 'token',
  userinfo: 'userinfo',
  jwks: 'JWKS',
  saml_request: 'SAML request',
  saml_response: 'SAML response',
  deep_link: 'deep link',
  sso_desk_login: 'SSO Desk login',
  logout: 'logout',
  redirect: 'redirect',
  error: 'error',
  pasted: 'pasted',
};

/** Decoded fields of an exchange: each parameter, secrets masked and registered for one-at-a-time reveal. */
function fieldsOf(p: Map<string, string>, secret: (label: string, value: string) => string): DecodedField[] {
  const out: DecodedField[] = [];
  for (const [name, value] of p) {
    if (isSecretName(name) || ALSO_SECRET.has(name.toLowerCase())) {
      out.push({ name, value: MASK, secret: secret(name, value) });
    } else {
      out.push({ name, value: value.length > 2000 ? `${value.slice(0, 2000)}…` : value, secret: null });
    }
  }
  return out;
}

/** The exchange's HTTP record for people: redacted by name, then scrubbed of every secret the capture carries. */
export function redactedHttp(e: HarEntryLite, secrets: readonly string[]): TraceHttp {
  return redactHttp(
    {
      request: { method: e.method, url: e.url, headers: e.requestHeaders, body: e.requestBody },
      response:
        e.status === 0
          ? null
          : {
              status: e.status,
              statusText: e.statusText,
              headers: e.responseHeaders,
              body: e.responseBody ?? '',
              truncated: false,
            },
      ms: 0,
    },
    secrets,
  );
}

/**
 * A HAR entry as an exchange of the diagnosis, or null when it plays no part in a sign-in. Every
 * secret it carries (parameters by name, cookie and authorization headers, tokens in JSON answers)
 * is registered through `secret` and masked in the exchange's fields and HTTP record.
 */
export function toExchange(
  e: HarEntryLite,
  t0: number | null,
  secret: (label: string, value: string) => string,
): Exchange | null {
  const params = paramsOf(e);
  const json = jsonOf(e.responseBody);
  const kind = kindOf(e, params, json);
  if (!kind) return null;
  const fields = fieldsOf(params, secret);
  for (const [name, value] of [...e.requestHeaders, ...e.responseHeaders])
    if (isSecretHeader(name) && value) {
      secret(name, value);
    }
  const tokens: Exchange['tokens'] = [];
  for (const name of TOKEN_PARAMS) {
    const fromParams = params.get(name);
    const fromJson = typeof json?.[name] === 'string' ? (json[name] as string) : undefined;
    const token = fromJson ?? fromParams;
    if (token) {
      tokens.push({ name, token });
      if (fromJson) {
        fields.push({ name, value: MASK, secret: secret(name, fromJson) });
      }
    }
  }
  let decoded: string | null = null;
  const saml = params.get('SAMLResponse') ?? params.get('SAMLRequest');
  if (saml) decoded = decodeSaml(saml);
  const token = tokens.find((x) => x.name === 'id_token') ?? tokens[0];
  if (!decoded && token) {
    const shape = readTokenShape(token.token);
    if (shape.kind === 'jws' && shape.claims)
      decoded = JSON.stringify({ header: shape.header, claims: shape.claims }, null, 2);
  }
  const detail = describe(kind, e, params, decoded);
  return {
    kind,
    step: STEP[kind],
    outcome: e.status >= 400 || e.status === 0 || params.has('error') ? 'fail' : 'ok',
    detail,
    atMs: t0 !== null && e.startedMs !== null ? Math.max(0, e.startedMs - t0) : 0,
    entry: e.index,
    fields,
    decoded,
    http: null,
    raw: e,
    params,
    tokens,
    json,
  };
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 80);
  }
}

function describe(kind: Exchange['kind'], e: HarEntryLite, p: Map<string, string>, decoded: string | null): string {
  const status = e.status === 0 ? 'no answer' : `HTTP ${e.status}`;
  switch (kind) {
    case 'authorize':
      return (
        `Authorization request to ${host(e.url)} for client_id ${p.get('client_id') ?? '(none)'}, ` +
        `redirect_uri ${p.get('redirect_uri') ?? '(none)'} (${status}).`
      );
    case 'callback':
      return p.has('error')
        ? `The IdP answered with error ${p.get('error')}${p.has('error_description') ? `: ${p.get('error_description')}` : ''}.`
        : `The IdP sent the browser back to ${host(e.url)} with ${[...p.keys()].filter((k) => k !== 'iss').join(', ')} (${status}).`;
    case 'token':
      return `Token request to ${host(e.url)} (grant ${p.get('grant_type') ?? '?'}): ${status}.`;
    case 'saml_request':
    case 'saml_response': {
      if (!decoded) return `A ${kind === 'saml_request' ? 'SAMLRequest' : 'SAMLResponse'} that is not base64 XML.`;
      const issuer = samlField(decoded, 'Issuer');
      const code = samlField(decoded, 'StatusCode');
      return (
        `${kind === 'saml_request' ? 'SAML AuthnRequest' : 'SAML Response'} to ` +
        `${host(e.url)}${issuer ? ` from issuer ${issuer}` : ''}` +
        `${code ? `, status ${code.replace(/^.*:status:/, '')}` : ''} ` +
        `(decoded below; signatures are not checked here).`
      );
    }
    default:
      return `${e.method} ${host(e.url)}${pathOf(e.url)}: ${status}${e.redirectURL ? ` → ${host(e.redirectURL)}` : ''}.`;
  }
}
