import { describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { isNewToken } from '../../src/renderer/src/screens/inspector/new-token';

describe('Inspector › Tokens: a new token starts fresh, an edit keeps the key and audience', () => {
  it('tells two tokens of one issuer apart although they share their header and first claims', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const sign = (sub: string) =>
      new SignJWT({ sub, email: `${sub}@acme.test` })
        .setProtectedHeader({ alg: 'RS256', kid: 'desk-1', typ: 'JWT' })
        .setIssuer('https://idp.acme.test')
        .setAudience('sso-desk')
        .setIssuedAt(1_800_000_000)
        .sign(privateKey);
    const ann = await sign('ann');
    const bob = await sign('bob');
    expect(ann.slice(0, 40)).toBe(bob.slice(0, 40));
    expect(isNewToken(ann, bob)).toBe(true);
    expect(isNewToken(ann, 'not-a-token-at-all')).toBe(true);
  });

  it('keeps an edit: a character typed or deleted, a tail cut off, a claim or the header changed', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ sub: 'ann' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(isNewToken(token, `${token}x`)).toBe(false);
    expect(isNewToken(token, token.slice(0, -1))).toBe(false);
    expect(isNewToken(token, token.slice(0, Math.ceil(token.length * 0.6)))).toBe(false);
    const otherClaims = Buffer.from(JSON.stringify({ sub: 'mallory' })).toString('base64url');
    expect(isNewToken(token, `${h}.${otherClaims}.${s}`)).toBe(false);
    const otherHeader = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'desk-0' })).toString('base64url');
    expect(isNewToken(token, `${otherHeader}.${p}.${s}`)).toBe(false);
  });

  it('clearing the field is a new start; typing into an empty field is not', () => {
    expect(isNewToken('eyJhbGciOi', '')).toBe(true);
    expect(isNewToken('', 'e')).toBe(false);
  });
});
