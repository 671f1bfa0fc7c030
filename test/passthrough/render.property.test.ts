import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DOMParser } from '@xmldom/xmldom';
import { renderRequest, type PlaceholderValues } from '../../src/main/engine/passthrough/render';
import type { PassthroughRow } from '../../src/main/store/sso-config';

const SPECIALS = [
  '"',
  '\\',
  '<',
  '>',
  '&',
  "'",
  '\r',
  '\n',
  '\t',
  '\0',
  '%',
  '+',
  '=',
  '&',
  '#',
  '?',
  '/',
  ' ',
  ']]>',
  '}}',
  '{{USEREMAIL}}',
  '\u2028',
  '😀',
  'é',
  '\u007f',
  '&amp;',
  '%2F',
];
const nasty = fc
  .array(fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 8 })
  .map((parts) => parts.join(''));
const wellFormed = nasty.filter((s) => !/\p{Cs}/u.test(s));

const values = (password: string, other = 'erin@globex.test'): PlaceholderValues => ({
  USERID: '7',
  USEREMAIL: other,
  USERPASSWORD: password,
  USEREXTERNALID: 'G-1',
  ORGID: 'globex',
  DEVICEOS: 'Linux',
  DEVICENAME: 'desk',
  DEVICEIP: '127.0.0.1',
});

const cfg = (patch: Partial<PassthroughRow>): PassthroughRow => ({
  accountId: 'globex',
  enabled: true,
  url: 'https://auth.example/login',
  method: 'POST',
  dataAs: 'json',
  authType: 'none',
  headers: {},
  body: '',
  forgotPasswordUrl: null,
  timeoutMs: 5000,
  updatedAt: 0,
  ...patch,
});

const strictXml = (text: string) =>
  new DOMParser({
    errorHandler: {
      warning: (m: string) => {
        throw new Error(m);
      },
      error: (m: string) => {
        throw new Error(m);
      },
      fatalError: (m: string) => {
        throw new Error(m);
      },
    },
  }).parseFromString(text, 'application/xml');

const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

describe('no value can break out of its place (fast-check)', () => {
  it('JSON: the rendered body parses, with every value intact and no key added', () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, (password, email) => {
        for (const body of [
          '',
          '{"a":{"user":"{{USEREMAIL}}","pass":"{{USERPASSWORD}}"},"n":1,"list":["{{USERPASSWORD}}{{USEREMAIL}}"]}',
        ]) {
          const r = renderRequest(cfg({ dataAs: 'json', body }), values(password, email));
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const parsed = JSON.parse(r.request.body!) as Record<string, unknown>;
          if (body === '') expect(parsed).toEqual({ email, password });
          else expect(parsed).toEqual({ a: { user: email, pass: password }, n: 1, list: [password + email] });
        }
      }),
      { numRuns: 400 },
    );
  });

  it('URL-encoded: the form decodes to the values, and has exactly its fields', () => {
    fc.assert(
      fc.property(wellFormed, wellFormed, (password, email) => {
        const r = renderRequest(
          cfg({ dataAs: 'urlencoded', body: 'grant=password&u={{USEREMAIL}}&p={{USERPASSWORD}}' }),
          values(password, email),
        );
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const form = new URLSearchParams(r.request.body!);
        expect([...form.keys()]).toEqual(['grant', 'u', 'p']);
        expect(form.get('u')).toBe(email);
        expect(form.get('p')).toBe(password);
      }),
      { numRuns: 400 },
    );
  });

  it('XML: the body parses (strictly) with the value intact, or the attempt fails with a reason', () => {
    fc.assert(
      fc.property(wellFormed, (password) => {
        const body =
          '<?xml version="1.0"?><auth mode="x"><user attr="{{USERPASSWORD}}">{{USEREMAIL}}</user><secret>{{USERPASSWORD}}</secret></auth>';
        const r = renderRequest(cfg({ dataAs: 'xml', body }), values(password));
        if (!XML_CHAR.test(password)) {
          expect(r).toEqual({ ok: false, reason: expect.stringContaining('XML 1.0 cannot carry') });
          return;
        }
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const doc = strictXml(r.request.body!);
        const root = doc.documentElement!;
        expect(root.tagName).toBe('auth');
        expect(root.childNodes.length).toBe(2);
        const secret = doc.getElementsByTagName('secret');
        expect(secret.length).toBe(1);
        expect(secret[0]!.textContent).toBe(password);
        expect(doc.getElementsByTagName('user')[0]!.getAttribute('attr')).toBe(password);
        expect(doc.getElementsByTagName('user')[0]!.textContent).toBe('erin@globex.test');
      }),
      { numRuns: 400 },
    );
  });

  it('URL: the value is one query parameter or one path segment; scheme, host, port, other parts unchanged', () => {
    fc.assert(
      fc.property(wellFormed, (value) => {
        const r = renderRequest(
          cfg({
            method: 'GET',
            url: 'https://auth.example:8443/v1/{{USEREMAIL}}/login?x=1&p={{USERPASSWORD}}&y=a%20b#frag',
          }),
          values(value, value),
        );
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const u = new URL(r.request.url);
        expect([u.protocol, u.hostname, u.port, u.hash, u.username, u.password]).toEqual([
          'https:',
          'auth.example',
          '8443',
          '#frag',
          '',
          '',
        ]);
        const segments = u.pathname.split('/');
        expect(segments).toHaveLength(4);
        expect([segments[1], segments[3]]).toEqual(['v1', 'login']);
        expect(decodeURIComponent(segments[2]!)).toBe(value);
        expect([...u.searchParams.keys()]).toEqual(['x', 'p', 'y']);
        expect(u.searchParams.get('x')).toBe('1');
        expect(u.searchParams.get('p')).toBe(value);
        expect(u.searchParams.get('y')).toBe('a b');
      }),
      { numRuns: 400 },
    );
  });

  it('headers: a value with CR, LF or NUL never reaches a header; any other lands whole in its one header', () => {
    fc.assert(
      fc.property(wellFormed, (value) => {
        const r = renderRequest(cfg({ headers: { 'X-Device': 'd={{DEVICENAME}};' } }), {
          ...values('pw'),
          DEVICENAME: value,
        });
        if (/[\r\n\0]/.test(value)) {
          expect(r).toEqual({ ok: false, reason: expect.stringContaining('contains CR, LF or NUL') });
          return;
        }
        // eslint-disable-next-line no-control-regex -- matching control characters is the point here
        if (/[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value)) {
          expect(r.ok).toBe(false);
          return;
        }
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.request.headers.filter(([n]) => n === 'X-Device')).toEqual([['X-Device', `d=${value};`]]);
        expect(r.request.headers.map(([n]) => n)).toEqual(['X-Device', 'Content-Type']);
      }),
      { numRuns: 400 },
    );
  });

  it('a lone surrogate is refused, never mangled', () => {
    const r = renderRequest(cfg({}), values('ab\uD800cd'));
    expect(r).toEqual({ ok: false, reason: 'the value of {{USERPASSWORD}} is not valid Unicode (lone surrogate)' });
  });

  it('the redacted copy holds no trace of the password in any place', () => {
    fc.assert(
      fc.property(
        // eslint-disable-next-line no-control-regex -- values a header can carry
        wellFormed.filter((s) => s.length >= 4 && XML_CHAR.test(s) && !/[\r\n\0\u0001-\u001F\u007F]/.test(s)),
        fc.constantFrom('json', 'urlencoded', 'xml') as fc.Arbitrary<'json' | 'urlencoded' | 'xml'>,
        (password, dataAs) => {
          const r = renderRequest(
            cfg({
              dataAs,
              authType: 'basic',
              url: 'https://a.example/?p={{USERPASSWORD}}',
              headers: { 'X-P': '{{USERPASSWORD}}' },
            }),
            values(password),
          );
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const red = r.redacted;
          expect(red.url).toBe('https://a.example/?p=••••');
          expect(red.headers).toContainEqual(['X-P', '••••']);
          expect(red.headers).toContainEqual(['Authorization', 'Basic ••••']);
          expect(red.body).toContain('••••');
          const text = JSON.stringify(red);
          for (const form of [password, encodeURIComponent(password), JSON.stringify(password).slice(1, -1)])
            expect(text.includes(form)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});
