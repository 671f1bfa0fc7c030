import { MASK, type TraceHttp } from './trace';

/**
 * Defence in depth for evidence that leaves the app (HAR files, curl commands, audit rows): the
 * engines redact what they record; this pass masks every place a secret is known to travel, by name,
 * whatever the engine did.
 */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-sso-desk-key',
]);
const SECRET_PARAMS = new Set(
  [
    'password',
    'pass',
    'passwd',
    'pwd',
    'userpassword',
    'newpassword',
    'client_secret',
    'code',
    'code_verifier',
    'access_token',
    'id_token',
    'refresh_token',
    'token',
    'id_token_hint',
    'logout_token',
    'assertion',
    'client_assertion',
    'secret',
    'api_key',
    'apikey',
    'accountapikey',
    'botapikey',
    'botapisecret',
    'session',
    'state_secret',
    // A SAMLResponse carries an assertion: a bearer credential for as long as it is valid.
    'samlresponse',
  ].map((s) => s.toLowerCase()),
);

export const isSecretName = (name: string): boolean => SECRET_PARAMS.has(name.toLowerCase());

/** Header names whose values are credentials by default: the known ones, and any naming a key, token, secret or password. */
const SECRET_HEADER_WORDS = /key|token|secret|passw/i;
export const isSecretHeader = (name: string): boolean =>
  SECRET_HEADERS.has(name.toLowerCase()) || SECRET_HEADER_WORDS.test(name);

/**
 * Masks values of secret query parameters, URL userinfo, and SSO deep-link tokens in the path. The
 * result stays a valid URI (HAR viewers insist): the mask is percent-encoded there; `displayUrl`
 * shows it as •••• to people.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.password) url.password = MASK;
  for (const key of [...url.searchParams.keys()]) {
    if (isSecretName(key)) url.searchParams.set(key, MASK);
  }
  url.pathname = url.pathname.replace(/(\/auth\/sso\/)[A-Za-z0-9_-]{16,}/, `$1${MASK}`);
  return url.toString();
}

const ENCODED_MASK = /%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2/g;

/** A redacted URL for people: the percent-encoded mask shown as ••••. */
export const displayUrl = (url: string): string => url.replace(ENCODED_MASK, MASK);

/**
 * Masks the value of every secret header (by default `Authorization`, `Cookie` and names containing
 * key, token, secret or password; `alsoSecret` adds names the admin marked secret); an Authorization
 * keeps its scheme (`Basic ••••`).
 */
export function redactHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
  alsoSecret: readonly string[] = [],
): Array<[string, string]> {
  const marked = new Set(alsoSecret.map((n) => n.toLowerCase()));
  return headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    if (!isSecretHeader(name) && !marked.has(lower)) return [name, value];
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const scheme = /^(\S+)\s/.exec(value)?.[1];
      return [name, scheme ? `${scheme} ${MASK}` : MASK];
    }
    return [name, MASK];
  });
}

function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isSecretName(k) && typeof v !== 'object' ? MASK : maskJson(v)]),
    );
  }
  return value;
}

/** Masks secret fields of a JSON or form body; other bodies pass unchanged. */
export function redactBody(body: string | null, contentType: string | undefined): string | null {
  if (body === null || body === '') return body;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || /^\s*[{[]/.test(body)) {
    try {
      return JSON.stringify(maskJson(JSON.parse(body)));
    } catch {
      // Not JSON after all: fall through.
    }
  }
  if (type.includes('xml') || /^\s*</.test(body)) return redactSamlAssertions(body);
  if (type.includes('x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    for (const key of [...params.keys()]) if (isSecretName(key)) params.set(key, MASK);
    return params.toString().replace(ENCODED_MASK, MASK);
  }
  return body;
}

/** SAML assertions (signed or encrypted) in an XML body replaced by a marker: they are bearer credentials. */
export const redactSamlAssertions = (xml: string): string =>
  xml.replace(/<((?:[\w-]+:)?(?:Encrypted)?Assertion)\b[\s\S]*?<\/\1>/g, `<$1>${MASK} (assertion redacted)</$1>`);

/** Replaces each known secret value wherever it appears in `text`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x.length >= 3).sort((a, b) => b.length - a.length))
    out = out.split(s).join(MASK);
  return out;
}

const header = (headers: ReadonlyArray<readonly [string, string]>, name: string) =>
  headers.find(([n]) => n.toLowerCase() === name)?.[1];

/** The whole exchange, redacted by name, then scrubbed of any known secret values. */
export function redactHttp(http: TraceHttp, secrets: readonly string[] = []): TraceHttp {
  const s = (t: string) => scrub(t, secrets);
  return {
    request: {
      method: http.request.method,
      url: s(redactUrl(http.request.url)),
      headers: redactHeaders(http.request.headers).map(([n, v]) => [n, s(v)]),
      body: (() => {
        const b = redactBody(http.request.body, header(http.request.headers, 'content-type'));
        return b === null ? null : s(b);
      })(),
    },
    response: http.response && {
      ...http.response,
      headers: redactHeaders(http.response.headers).map(([n, v]) => [n, s(v)]),
      body: s(redactBody(http.response.body, header(http.response.headers, 'content-type')) ?? ''),
    },
    ms: http.ms,
  };
}
