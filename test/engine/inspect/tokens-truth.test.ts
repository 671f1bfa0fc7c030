import { beforeAll, describe, expect, it } from 'vitest';
import { generateSecret, SignJWT } from 'jose';
import { inspectToken } from '../../../src/main/engine/inspect/jwt-inspect';
import { makeKey, signToken, T0, type TestKey } from './keys';

/** What a walkthrough of Inspector › Tokens found saying the wrong thing (issue 22, point 6). */
let rsa: TestKey;
beforeAll(async () => {
  rsa = await makeKey('RS256', 'rsa-1');
});
const inspect = (token: string, key?: Parameters<typeof inspectToken>[0]['key']) =>
  inspectToken({ token, key }, { now: T0, fetch: async () => Promise.reject(new Error('no network in this test')) });

describe('Inspector › Tokens tells the truth', () => {
  it('a random string is "not a token", not an "Opaque token"; a real opaque token still is one', async () => {
    for (const text of ['hello world', 'not-a-token', 'asdf', 'abc.def.ghi', 'password123!']) {
      const r = await inspect(text);
      expect(r.tokenType, text).toBe('Not a token');
      expect(r.summary, text).toMatch(/^This is not a token/);
      expect(r.verification.reason).toBe('Nothing to verify: this is not a token.');
    }
    expect((await inspect('2YotnFZFEjr1zCsicMWpAA')).tokenType).toBe('Opaque token');
  });

  it('a JWT cut off mid-payload is "truncated", not "payload is text"', async () => {
    const token = await signToken(rsa, {});
    const [h, p] = token.split('.');
    for (const cut of [`${h}.${p!.slice(0, 40)}`, `${h}.${p!.slice(0, 41)}`]) {
      const r = await inspect(cut);
      expect(r.tokenType).toBe('Truncated JWT');
      expect(r.summary).toMatch(/cut off in the middle of its payload \(truncated\)/);
      expect(r.summary).not.toMatch(/payload is text/);
    }
  });

  it('an HS256 token with "Discovery from iss" says it needs the shared secret, and tries no discovery', async () => {
    const secret = await generateSecret('HS256');
    const token = await new SignJWT({ iss: 'https://idp.example.test', sub: 'svc' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret);
    const r = await inspect(token, { source: 'discovery' });
    expect(r.verification.checks[0]).toMatchObject({ id: 'key', ok: false });
    expect(r.verification.checks[0]!.detail).toMatch(/^HS256 is verified with a shared secret/);
    expect(r.verification.checks.some((c) => c.id === 'discovery')).toBe(false);
  });

  it('SSO Desk’s own deep-link token points to Inspector › Deep links', async () => {
    const token = 'A'.repeat(22) + 'b1'.repeat(21) + 'c';
    for (const text of [token, `http://127.0.0.1:4000/auth/sso/${token}`]) {
      const r = await inspect(text);
      expect(r.tokenType).toBe('SSO Desk deep link');
      expect(r.summary).toMatch(/Inspector › Deep links/);
    }
  });
});
