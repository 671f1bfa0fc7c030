import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { answer, PASSWORD, post, service, world, type World } from './helpers';
import { AUTH_TYPES, DATA_AS, HTTP_ACTIONS } from '../../src/shared/domain';

const EMAIL = 'erin@globex.test';

/** What the service got, decoded the way a real service would, per Data As. */
function decodeBody(dataAs: string, body: string): { email?: string | null; password?: string | null } {
  if (dataAs === 'json') return JSON.parse(body) as { email: string; password: string };
  if (dataAs === 'urlencoded') {
    const f = new URLSearchParams(body);
    return { email: f.get('email'), password: f.get('password') };
  }
  const doc = new DOMParser({
    errorHandler: {
      warning: () => {},
      error: (m: string) => {
        throw new Error(m);
      },
      fatalError: (m: string) => {
        throw new Error(m);
      },
    },
  }).parseFromString(body, 'application/xml');
  return {
    email: doc.getElementsByTagName('email')[0]?.textContent,
    password: doc.getElementsByTagName('password')[0]?.textContent,
  };
}

describe('every HTTP action × Data As × auth type against a real service', () => {
  let w: World;
  let svc: Awaited<ReturnType<typeof service>>;
  beforeAll(async () => {
    svc = await service(answer(200));
    w = await world({ passthroughUrl: `${svc.url}/login` });
  });
  afterAll(async () => {
    await w.close();
    await svc.close();
  });

  for (const method of HTTP_ACTIONS)
    for (const dataAs of DATA_AS)
      for (const authType of AUTH_TYPES) {
        it(`${method} ${dataAs} auth=${authType}`, async () => {
          w.setPassthrough({
            method,
            dataAs,
            authType,
            body: '',
            url: `${svc.url}/login?org={{ORGID}}&u={{USEREMAIL}}`,
          });
          const r = await post(`${w.api}/auth/login`, { email: EMAIL, password: PASSWORD });
          expect(r.status).toBe(200);
          const seen = svc.seen.at(-1)!;
          expect(seen.method).toBe(method);
          const url = new URL(seen.url, svc.url);
          expect(url.pathname).toBe('/login');
          expect(url.searchParams.get('org')).toBe('globex');
          expect(url.searchParams.get('u')).toBe(EMAIL);
          if (method === 'GET') {
            expect(seen.body).toBe('');
            expect(seen.headers['content-type']).toBeUndefined();
          } else {
            expect(seen.headers['content-type']).toBe(
              {
                json: 'application/json; charset=utf-8',
                urlencoded: 'application/x-www-form-urlencoded',
                xml: 'application/xml; charset=utf-8',
              }[dataAs],
            );
            expect(decodeBody(dataAs, seen.body)).toEqual({ email: EMAIL, password: PASSWORD });
          }
          if (authType === 'basic') {
            const auth = seen.headers.authorization!;
            expect(auth.startsWith('Basic ')).toBe(true);
            expect(Buffer.from(auth.slice(6), 'base64').toString('utf8')).toBe(`${EMAIL}:${PASSWORD}`);
          } else expect(seen.headers.authorization).toBeUndefined();
        });
      }

  it('uses a custom body template and headers, each value escaped for its place', async () => {
    w.setPassthrough({
      method: 'PUT',
      dataAs: 'json',
      authType: 'none',
      url: `${svc.url}/login`,
      headers: { 'X-Api-Key': 'k-123', 'X-User': '{{USEREMAIL}}' },
      body: '{"login":{"id":"{{USEREXTERNALID}}","secret":"{{USERPASSWORD}}","org":"{{ORGID}}"}}',
    });
    expect((await post(`${w.api}/auth/login`, { email: EMAIL, password: PASSWORD })).status).toBe(200);
    const seen = svc.seen.at(-1)!;
    expect(JSON.parse(seen.body)).toEqual({ login: { id: 'G-3001', secret: PASSWORD, org: 'globex' } });
    expect(seen.headers['x-api-key']).toBe('k-123');
    expect(seen.headers['x-user']).toBe(EMAIL);
  });

  it('Basic auth with a password beyond ASCII sends UTF-8 (RFC 7617 §2.1)', async () => {
    w.setPassthrough({ method: 'GET', authType: 'basic', headers: {}, body: '', url: `${svc.url}/login` });
    await post(`${w.api}/auth/login`, { email: EMAIL, password: 'pässwörd✓' });
    expect(svc.seen.at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${EMAIL}:pässwörd✓`, 'utf8').toString('base64')}`,
    );
  });
});
