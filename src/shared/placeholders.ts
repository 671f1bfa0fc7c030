/**
 * The placeholder grammar of pass-through authentication templates, and the checks that Save, the
 * workspace import and the form (as you type) all share. Pure TypeScript: no Node, no DOM.
 *
 * A template is text with `{{NAME}}` tokens. NAME must be one of PLACEHOLDERS, spelt exactly (upper
 * case, no spaces). A `{{` that does not open a well-formed token is an error, so that a typo never
 * reaches the external service as literal text.
 */
import { PLACEHOLDERS, type Placeholder } from './domain';

export type Segment = { kind: 'text'; text: string } | { kind: 'placeholder'; name: Placeholder };

export type ParsedTemplate =
  { ok: true; segments: Segment[]; names: Placeholder[] } | { ok: false; message: string; index: number };

/** What each placeholder carries, for the reference beside the form. */
export const PLACEHOLDER_DOCS: Record<Placeholder, string> = {
  USERID: 'the user’s id in SSO Desk',
  USEREMAIL: 'the email the user typed (lower case)',
  USERPASSWORD: 'the password the user typed — never stored, shown as •••• in traces',
  USEREXTERNALID: 'the user’s external id (empty when none)',
  ORGID: 'the account’s id',
  DEVICEOS: 'the device’s operating system, as the client reports it',
  DEVICENAME: 'the device’s name, as the client reports it',
  DEVICEIP: 'the client’s IP address: device.ip when given, else the request’s peer address',
};

const isPlaceholder = (name: string): name is Placeholder => (PLACEHOLDERS as readonly string[]).includes(name);

const TOKEN = /\{\{([^{}]*)\}\}/g;

/** Splits a template into text and placeholders, or says where and why it is malformed. */
export function parseTemplate(template: string): ParsedTemplate {
  const segments: Segment[] = [];
  const names: Placeholder[] = [];
  let last = 0;
  for (const m of template.matchAll(TOKEN)) {
    const index = m.index ?? 0;
    const text = template.slice(last, index);
    const open = text.indexOf('{{');
    if (open >= 0)
      return {
        ok: false,
        index: last + open,
        message: `"{{" at character ${last + open + 1} does not open a placeholder`,
      };
    if (text) segments.push({ kind: 'text', text });
    const raw = m[1] ?? '';
    if (!isPlaceholder(raw)) {
      const hint = isPlaceholder(raw.trim().toUpperCase()) ? ` (write {{${raw.trim().toUpperCase()}}})` : '';
      return {
        ok: false,
        index,
        message: `unknown placeholder {{${raw}}}${hint}; known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}`,
      };
    }
    segments.push({ kind: 'placeholder', name: raw });
    if (!names.includes(raw)) names.push(raw);
    last = index + m[0].length;
  }
  const rest = template.slice(last);
  const open = rest.indexOf('{{');
  if (open >= 0)
    return { ok: false, index: last + open, message: `"{{" at character ${last + open + 1} is never closed with "}}"` };
  if (rest) segments.push({ kind: 'text', text: rest });
  return { ok: true, segments, names };
}

/** Fills a parsed template, passing each value through `encode` (the escaping for where it lands). */
export function fillSegments(
  segments: Segment[],
  value: (name: Placeholder) => string,
  encode: (v: string, name: Placeholder) => string = (v) => v,
): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : encode(value(s.name), s.name))).join('');
}

/** RFC 7230 §3.2.6 `token`: the only characters a header field name may use. */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Headers SSO Desk computes itself: a template may not set them. */
const COMPUTED_HEADERS = [
  'host',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'expect',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
];

/** CR, LF and NUL end or corrupt a header line (RFC 7230 §3.2.4): they never go into one. */
export const HEADER_BREAKERS = /[\r\n\0]/;

export interface PassthroughDraft {
  enabled: boolean;
  url: string;
  method: 'POST' | 'PUT' | 'GET';
  dataAs: 'json' | 'urlencoded' | 'xml';
  authType: 'none' | 'basic';
  headers: Array<{ name: string; value: string }>;
  body: string;
  forgotPasswordUrl: string;
  timeoutMs: number;
}

export interface FieldProblem {
  /** The form's field: `url`, `headers[2].name`, `body`… */
  field: string;
  message: string;
}

export const MAX_TIMEOUT_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 5_000;

/** The body sent when the body template is empty: email and password, in the Data As format. */
export const DEFAULT_BODIES: Record<PassthroughDraft['dataAs'], string> = {
  json: '{"email":"{{USEREMAIL}}","password":"{{USERPASSWORD}}"}',
  urlencoded: 'email={{USEREMAIL}}&password={{USERPASSWORD}}',
  xml: '<?xml version="1.0" encoding="UTF-8"?><login><email>{{USEREMAIL}}</email><password>{{USERPASSWORD}}</password></login>',
};

/**
 * Checks a URL template: well-formed placeholders, http or https, no credentials in it, and no
 * placeholder before the path — a value must never choose the host the password is sent to.
 */
export function checkUrlTemplate(template: string, opts: { forbidPassword: boolean }): string | null {
  if (template.trim() === '') return 'enter a URL';
  if (template !== template.trim()) return 'remove the spaces around the URL';
  const parsed = parseTemplate(template);
  if (!parsed.ok) return parsed.message;
  if (opts.forbidPassword && parsed.names.includes('USERPASSWORD'))
    return '{{USERPASSWORD}} may not be used here: the password is never sent to the Forgot-password URL';
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(template);
  if (!scheme || !['http', 'https'].includes(scheme[1]!.toLowerCase())) return 'must start with http:// or https://';
  const afterScheme = template.slice(scheme[0].length);
  if (!afterScheme.startsWith('//')) return 'must start with http:// or https://';
  const authorityEnd = afterScheme.slice(2).search(/[/?#]/);
  const authority = authorityEnd < 0 ? afterScheme.slice(2) : afterScheme.slice(2, authorityEnd + 2);
  if (authority.includes('{{')) return 'placeholders may go in the path, query or fragment, never in the host or port';
  if (authority.includes('@')) return 'put credentials in a header or use Basic auth, not in the URL';
  let url: URL;
  try {
    url = new URL(fillSegments(parsed.segments, () => 'x'));
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must start with http:// or https://';
  if (!url.hostname) return 'needs a host';
  return null;
}

/** Checks one header: the name is an RFC 7230 token SSO Desk does not compute, the value a valid template. */
export function checkHeader(
  name: string,
  value: string,
  authType: PassthroughDraft['authType'],
): { part: 'name' | 'value'; message: string } | null {
  if (name === '') return { part: 'name', message: 'enter a header name' };
  if (!HEADER_NAME.test(name))
    return {
      part: 'name',
      message: `"${name}" is not a valid header name (RFC 7230 token: letters, digits and !#$%&'*+-.^_\`|~, no spaces or colons)`,
    };
  if (COMPUTED_HEADERS.includes(name.toLowerCase()))
    return { part: 'name', message: `${name} is set by SSO Desk (Content-Type follows Data As); remove this header` };
  if (authType === 'basic' && name.toLowerCase() === 'authorization')
    return {
      part: 'name',
      message:
        'Basic auth builds the Authorization header from the email and password; remove this header or choose auth type none',
    };
  if (HEADER_BREAKERS.test(value)) return { part: 'value', message: 'a header value may not contain CR, LF or NUL' };
  const parsed = parseTemplate(value);
  if (!parsed.ok) return { part: 'value', message: parsed.message };
  return null;
}

/** Checks the body template for its Data As: placeholders valid, and JSON still JSON once filled in. */
export function checkBody(body: string, draft: Pick<PassthroughDraft, 'method' | 'dataAs'>): string | null {
  if (body.trim() === '') return null;
  if (draft.method === 'GET') return 'GET sends no body: clear the body template or choose POST or PUT';
  const parsed = parseTemplate(body);
  if (!parsed.ok) return parsed.message;
  if (draft.dataAs === 'json') {
    try {
      JSON.parse(fillSegments(parsed.segments, () => 'x'));
    } catch {
      return 'is not valid JSON once placeholders are filled in; a placeholder goes inside a JSON string, e.g. "{{USEREMAIL}}"';
    }
  }
  if (draft.dataAs === 'xml' && !/^\s*</.test(body)) return 'an XML body starts with "<"';
  return null;
}

/**
 * Every problem of a pass-through configuration, each naming its field. Empty means it may be saved.
 * `headerField` names a header's field (the form uses `headers[0].name`, a workspace file `headers.X-Name`).
 */
export function validatePassthrough(
  d: PassthroughDraft,
  headerField: (index: number, name: string, part: 'name' | 'value') => string = (i, _n, part) =>
    `headers[${i}].${part}`,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const url = checkUrlTemplate(d.url, { forbidPassword: false });
  if (url) problems.push({ field: 'url', message: url });
  const seen = new Set<string>();
  d.headers.forEach((h, i) => {
    const problem = checkHeader(h.name, h.value, d.authType);
    if (problem) problems.push({ field: headerField(i, h.name, problem.part), message: problem.message });
    else if (seen.has(h.name.toLowerCase()))
      problems.push({ field: headerField(i, h.name, 'name'), message: `${h.name} is given twice` });
    seen.add(h.name.toLowerCase());
  });
  const body = checkBody(d.body, d);
  if (body) problems.push({ field: 'body', message: body });
  if (d.forgotPasswordUrl !== '') {
    const forgot = checkUrlTemplate(d.forgotPasswordUrl, { forbidPassword: true });
    if (forgot) problems.push({ field: 'forgotPasswordUrl', message: forgot });
  }
  if (!Number.isInteger(d.timeoutMs) || d.timeoutMs < 100 || d.timeoutMs > MAX_TIMEOUT_MS)
    problems.push({ field: 'timeoutMs', message: `the timeout is between 0.1 and ${MAX_TIMEOUT_MS / 1000} seconds` });
  return problems;
}
