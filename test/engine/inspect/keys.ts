import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** Keys made fresh for each test file with jose: nothing is checked in. */
export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  spki: string;
}

export async function makeKey(alg: 'RS256' | 'ES256' | 'PS256' | 'EdDSA', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid };
  return { kid, alg, privateKey, publicJwk, spki: await exportSPKI(publicKey) };
}

export const T0 = Date.parse('2026-11-25T10:00:00Z');
export const sec = (ms: number): number => Math.floor(ms / 1000);

/** An ID-token-like JWT signed with `key`, issued a minute before T0, valid for 10 minutes. */
export async function signToken(
  key: TestKey,
  claims: JWTPayload = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    iss: 'https://idp.example.test',
    sub: 'user-1001',
    aud: 'sso-desk-client',
    iat: sec(T0) - 60,
    exp: sec(T0) + 600,
    nonce: 'n-0S6_WzA2Mj',
    email: 'ann@acme.test',
    email_verified: true,
    name: 'Ann Lee',
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey);
}

/** Base64url of a JSON value, to build hand-made tokens (alg none, broken parts). */
export const b64json = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
