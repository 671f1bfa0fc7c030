import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EncryptJWT, generateKeyPair, generateSecret, exportJWK, importPKCS8, SignJWT } from 'jose';
import { inspectToken } from '../../../src/main/engine/inspect/jwt-inspect';
import type { TokenInspection } from '../../../src/shared/contract/inspect';
import { b64json, makeKey, sec, signToken, T0, type TestKey } from './keys';

let rsa: TestKey;
let rsa2: TestKey;
let ec: TestKey;
let jwks: string;

beforeAll(async () => {
  [rsa, rsa2, ec] = await Promise.all([makeKey('RS256', 'rsa-1'), makeKey('RS256', 'rsa-2'), makeKey('ES256', 'ec-1')]);
  jwks = JSON.stringify({ keys: [rsa2.publicJwk, ec.publicJwk, rsa.publicJwk] });
});

const inspect = (token: string, key?: Parameters<typeof inspectToken>[0]['key'], audience?: string, now = T0) =>
  inspectToken({ token, key, audience }, { now });

const check = (r: TokenInspection, id: string) => r.verification.checks.find((c) => c.id === id);
const field = (r: TokenInspection, name: string) => r.claimFields.find((f) => f.name === name);

describe('inspect.token: decoding', () => {
  it('decodes header and claims, explains standard claims and shows times as ISO dates and relative text', async () => {
    const r = await inspect(await signToken(rsa, { auth_time: sec(T0) - 3 * 3600, custom_tier: 'gold' }));
    expect(r.kind).toBe('jwt');
    expect(r.tokenType).toBe('ID token');
    expect(r.summary).toBe('A signed JWT (RS256) with 11 claims; by its claims it is most likely an ID token.');
    expect(r.header).toEqual({ alg: 'RS256', kid: 'rsa-1', typ: 'JWT' });
    expect(r.claims).toMatchObject({ iss: 'https://idp.example.test', email: 'ann@acme.test' });
    expect(r.headerFields.find((f) => f.name === 'kid')?.explanation).toMatch(/JWKS/);
    expect(field(r, 'exp')).toMatchObject({
      label: 'Expires',
      time: { iso: '2026-11-25T10:10:00.000Z', relative: 'in 10 min', epochMs: T0 + 600_000 },
    });
    expect(field(r, 'iat')?.time?.relative).toBe('1 min ago');
    expect(field(r, 'auth_time')?.time?.relative).toBe('3 h ago');
    expect(field(r, 'aud')?.explanation).toMatch(/meant for/);
    expect(field(r, 'nonce')?.explanation).toMatch(/replayed/);
    expect(field(r, 'email_verified')?.explanation).toMatch(/has verified/);
    expect(field(r, 'custom_tier')).toMatchObject({
      standard: false,
      value: 'gold',
      explanation: expect.stringMatching(/set by the issuer/),
    });
    // Every registered claim of the token is explained.
    for (const f of r.claimFields.filter((x) => x.name !== 'custom_tier')) expect(f.standard, f.name).toBe(true);
  });

  it('explains scope, azp, sid, jti, acr, amr, at_hash and c_hash, and recognises an RFC 9068 access token', async () => {
    const r = await inspect(
      await signToken(
        rsa,
        {
          scope: 'openid email',
          azp: 'c1',
          sid: 's1',
          jti: 'j1',
          acr: 'mfa',
          amr: ['pwd', 'otp'],
          at_hash: 'x',
          c_hash: 'y',
          nonce: undefined,
        },
        { typ: 'at+jwt' },
      ),
    );
    expect(r.tokenType).toBe('Access token (RFC 9068)');
    for (const name of ['scope', 'azp', 'sid', 'jti', 'acr', 'amr', 'at_hash', 'c_hash']) {
      expect(field(r, name)?.standard, name).toBe(true);
      expect(field(r, name)?.explanation.length, name).toBeGreaterThan(20);
    }
    expect(field(r, 'amr')?.value).toBe('["pwd","otp"]');
  });

  it('without a key: decodes, checks the times, and says the signature was not checked', async () => {
    const r = await inspect(await signToken(rsa, { exp: sec(T0) - 3 * 3600 }));
    expect(r.verification.status).toBe('skipped');
    expect(r.verification.reason).toMatch(/^Signature not checked: no key was chosen/);
    expect(r.verification.reason).toMatch(/Expired at .*, 3 h ago/);
    expect(check(r, 'exp')?.ok).toBe(false);
  });

  it('cleans a pasted "Bearer " prefix and line breaks', async () => {
    const token = await signToken(rsa);
    const r = await inspect(`  Bearer ${token.slice(0, 40)}\n${token.slice(40)}\n`, { source: 'jwks', jwks });
    expect(r.verification.status).toBe('verified');
  });

  it('recognises opaque tokens and says only the issuer can introspect them', async () => {
    for (const token of ['2YotnFZFEjr1zCsicMWpAA', 'gho_16C7e42F292c6912E7710c838347Ae178B4a']) {
      const r = await inspect(token, { source: 'jwks', jwks });
      expect(r.kind, token).toBe('opaque');
      expect(r.header).toBeNull();
      expect(r.claims).toBeNull();
      expect(r.summary).toMatch(/only its issuer can say/);
      expect(r.summary).toMatch(/introspection/);
      expect(r.verification).toMatchObject({ status: 'skipped', checks: [] });
    }
  });

  it('recognises a JWE: header shown, payload not decrypted', async () => {
    const { publicKey } = await generateKeyPair('RSA-OAEP-256');
    const jwe = await new EncryptJWT({ email: 'ann@acme.test' })
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' })
      .encrypt(publicKey);
    const r = await inspect(jwe, { source: 'jwks', jwks });
    expect(r.kind).toBe('jwe');
    expect(r.header).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' });
    expect(r.headerFields.find((f) => f.name === 'enc')?.explanation).toMatch(/encrypted/);
    expect(r.claims).toBeNull();
    expect(r.summary).toMatch(/encrypted token \(JWE, alg RSA-OAEP-256, enc A256GCM\)/);
    expect(r.verification.status).toBe('skipped');
    expect(JSON.stringify(r)).not.toContain('ann@acme.test');
  });
});

describe('inspect.token: verification', () => {
  it('verifies RS256 against a full JWKS with several keys, picking the key by kid', async () => {
    const r = await inspect(await signToken(rsa), { source: 'jwks', jwks }, 'sso-desk-client');
    expect(r.verification.status).toBe('verified');
    expect(r.verification.checks.map((c) => [c.id, c.ok])).toEqual([
      ['algorithm', true],
      ['key', true],
      ['signature', true],
      ['exp', true],
      ['aud', true],
    ]);
    expect(check(r, 'signature')?.detail).toContain('"rsa-1" (RSA)');
    expect(r.verification.keySource).toBe('the pasted JWKS (3 keys)');
    expect(r.verification.reason).toMatch(
      /^Verified: the RS256 signature matches the pasted JWKS \(3 keys\) and expiry, audience passed\.$/,
    );
  });

  it('verifies ES256 with a single pasted JWK, in the JWK box and in the JWKS box', async () => {
    const token = await signToken(ec);
    expect((await inspect(token, { source: 'jwk', jwk: JSON.stringify(ec.publicJwk) })).verification.status).toBe(
      'verified',
    );
    expect((await inspect(token, { source: 'jwks', jwks: JSON.stringify(ec.publicJwk) })).verification.status).toBe(
      'verified',
    );
  });

  it('verifies a token without kid against a JWKS with several keys of its type (tries each)', async () => {
    const token = await signToken(rsa, {}, { kid: undefined });
    const r = await inspect(token, { source: 'jwks', jwks });
    expect(r.verification.status).toBe('verified');
  });

  it('verifies with a pasted private JWK by using only its public half, and never echoes it', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const priv = await exportJWK(privateKey);
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    const r = await inspect(token, { source: 'jwk', jwk: JSON.stringify(priv) });
    expect(r.verification.status).toBe('verified');
    expect(JSON.stringify(r)).not.toContain(priv.d);
  });

  it('verifies with a PEM public key (SPKI), and refuses a PEM pinned to another alg', async () => {
    const token = await signToken(rsa);
    const r = await inspect(token, { source: 'pem', pem: rsa.spki });
    expect(r.verification.status).toBe('verified');
    expect(r.verification.keySource).toBe('the pasted public key (RSA)');
    const pinned = await inspect(token, { source: 'pem', pem: rsa.spki, alg: 'PS256' });
    expect(pinned.verification.status).toBe('failed');
    expect(pinned.verification.reason).toBe(
      'Algorithm not allowed: key without kid (RSA) is declared for PS256, but the token says RS256.',
    );
    const ed = await makeKey('EdDSA', 'ed-1');
    expect((await inspect(await signToken(ed), { source: 'pem', pem: ed.spki })).verification.status).toBe('verified');
    expect((await inspect(await signToken(ec), { source: 'pem', pem: ec.spki })).verification.keySource).toBe(
      'the pasted public key (EC P-256)',
    );
    const wrongType = await inspect(await signToken(ec), { source: 'pem', pem: rsa.spki });
    expect(wrongType.verification.reason).toMatch(/^Algorithm not allowed: ES256 needs an EC P-256 key/);
  });

  it.skipIf(!hasOpenssl())('verifies with an X.509 certificate (PEM)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sso-desk-x509-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'k.pem'),
          '-out',
          join(dir, 'c.pem'),
          '-days',
          '2',
          '-subj',
          '/CN=idp.example.test',
        ],
        { stdio: 'ignore' },
      );
      const key = await importPKCS8(readFileSync(join(dir, 'k.pem'), 'utf8'), 'RS256');
      const token = await new SignJWT({ sub: 'x', exp: sec(Date.now()) + 60 })
        .setProtectedHeader({ alg: 'RS256', kid: 'x5' })
        .sign(key);
      const r = await inspectToken(
        { token, key: { source: 'pem', pem: readFileSync(join(dir, 'c.pem'), 'utf8') } },
        { now: Date.now() },
      );
      expect(r.verification.status).toBe('verified');
      expect(r.verification.keySource).toMatch(
        /^the pasted certificate \(RSA, CN=idp\.example\.test, valid until \d{4}-\d\d-\d\d\)$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses alg none, with or without a key', async () => {
    const token = `${b64json({ alg: 'none', typ: 'JWT' })}.${b64json({ sub: 'admin', exp: sec(T0) + 600 })}.`;
    for (const key of [undefined, { source: 'jwks' as const, jwks }]) {
      const r = await inspect(token, key);
      expect(r.kind).toBe('jwt');
      expect(r.tokenType).toBe('Unsecured JWT');
      expect(r.verification.status).toBe('failed');
      expect(r.verification.reason).toBe(
        'alg is "none": the token is not signed, so anyone could have written it. Refused.',
      );
      expect(check(r, 'algorithm')?.ok).toBe(false);
      expect(check(r, 'signature')).toBeUndefined();
    }
  });

  it('refuses an HS256 token presented with an RSA public key (algorithm confusion)', async () => {
    // The classic attack: HMAC-sign with the bytes of the public key.
    const forged = await new SignJWT({ sub: 'admin' })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(new TextEncoder().encode(rsa.spki));
    for (const key of [
      { source: 'jwks' as const, jwks },
      { source: 'pem' as const, pem: rsa.spki },
    ]) {
      const r = await inspect(forged, key);
      expect(r.verification.status).toBe('failed');
      expect(check(r, 'algorithm')).toMatchObject({
        ok: false,
        detail: expect.stringMatching(
          /^HS256 is an HMAC algorithm, verified with a shared secret, but .* holds only public keys\. .*refused\.$/,
        ),
      });
    }
  });

  it('verifies HS256 with a pasted shared-secret JWK and never echoes the secret', async () => {
    const secret = (await generateSecret('HS256', { extractable: true })) as Parameters<typeof exportJWK>[0];
    const jwk = await exportJWK(secret);
    const token = await new SignJWT({ sub: 'svc' }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    const r = await inspect(token, { source: 'jwk', jwk: JSON.stringify(jwk) });
    expect(r.verification.status).toBe('verified');
    expect(r.verification.keySource).toBe('the pasted JWK (shared secret)');
    expect(JSON.stringify(r)).not.toContain(jwk.k);
    // The secret is not echoed even when the pasted text is broken JSON (JSON.parse quotes its input).
    const broken = await inspect(token, { source: 'jwk', jwk: `{"kty":"oct","k":"${jwk.k}"` });
    expect(broken.verification.reason).toBe('The pasted JWK is not valid JSON.');
    expect(JSON.stringify(broken)).not.toContain(jwk.k);
    // And an RS256 token cannot be "verified" with a secret.
    const mismatch = await inspect(await signToken(rsa), { source: 'jwk', jwk: JSON.stringify(jwk) });
    expect(mismatch.verification.reason).toMatch(
      /^RS256 needs an RSA key, but the pasted JWK \(shared secret\) is a shared secret\.$/,
    );
  });

  it('names the unknown kid and the kids available', async () => {
    const r = await inspect(await signToken(rsa, {}, { kid: 'rotated-2025' }), { source: 'jwks', jwks });
    expect(r.verification.status).toBe('failed');
    expect(r.verification.reason).toBe(
      'Unknown kid "rotated-2025": no key with that ID in the pasted JWKS (3 keys); it has "rsa-2", "ec-1", "rsa-1". The issuer may have rotated its keys.',
    );
  });

  it('refuses a key whose JWKS alg differs from the token alg, and a kid of the wrong key type', async () => {
    const ps = await makeKey('PS256', 'k-ps');
    const set = JSON.stringify({ keys: [{ ...ps.publicJwk, alg: 'RS256' }] });
    const r = await inspect(await signToken(ps), { source: 'jwks', jwks: set });
    expect(r.verification.reason).toBe(
      'Algorithm not allowed: key "k-ps" (RSA) is declared for RS256, but the token says PS256.',
    );
    const wrongKid = await inspect(await signToken(ec, {}, { kid: 'rsa-1' }), { source: 'jwks', jwks });
    expect(wrongKid.verification.reason).toBe(
      'Algorithm not allowed: ES256 needs an EC P-256 key, but key "rsa-1" (RSA) is not one.',
    );
  });

  it('says "bad signature" for a tampered payload or another key with the same kid', async () => {
    const token = await signToken(rsa);
    const [h, , s] = token.split('.');
    const tampered = `${h}.${b64json({ ...JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()), email: 'mallory@evil.test' })}.${s}`;
    const r = await inspect(tampered, { source: 'jwks', jwks });
    expect(r.claims?.email).toBe('mallory@evil.test');
    expect(r.verification.status).toBe('failed');
    expect(check(r, 'signature')?.ok).toBe(false);
    expect(r.verification.reason).toBe(
      'Bad signature: the RS256 signature does not match key "rsa-1" (RSA) from the pasted JWKS (3 keys). The token was changed after signing, or another key signed it.',
    );
    const impostor = await inspect(await signToken(rsa2, {}, { kid: 'rsa-1' }), { source: 'jwks', jwks });
    expect(impostor.verification.reason).toMatch(/^Bad signature/);
  });

  it('fails an expired token with when and how long ago', async () => {
    const r = await inspect(await signToken(rsa, { iat: sec(T0) - 4 * 3600, exp: sec(T0) - 3 * 3600 }), {
      source: 'jwks',
      jwks,
    });
    expect(r.verification.status).toBe('failed');
    expect(check(r, 'signature')?.ok).toBe(true);
    expect(r.verification.reason).toBe('Expired at 2026-11-25T07:00:00.000Z, 3 h ago.');
    expect(field(r, 'exp')?.time?.relative).toBe('3 h ago');
  });

  it('fails a token that is not yet valid (nbf in the future)', async () => {
    const r = await inspect(await signToken(rsa, { nbf: sec(T0) + 12 * 60 }), { source: 'jwks', jwks });
    expect(r.verification.reason).toBe(
      'Not yet valid: valid from 2026-11-25T10:12:00.000Z, in 12 min. Check the clocks of the issuer and of this machine.',
    );
    expect(check(r, 'exp')?.ok).toBe(true);
  });

  it('fails a wrong audience with expected vs got (string or array)', async () => {
    const r = await inspect(await signToken(rsa), { source: 'jwks', jwks }, 'helpdesk-app');
    expect(r.verification.reason).toBe(
      'Wrong audience: expected "helpdesk-app", the token is meant for "sso-desk-client".',
    );
    const arr = await inspect(
      await signToken(rsa, { aud: ['a', 'helpdesk-app'] }),
      { source: 'jwks', jwks },
      'helpdesk-app',
    );
    expect(arr.verification.status).toBe('verified');
  });

  it('explains bad key input without echoing it: not JSON, not a JWKS, private PEM, PKCS#1, garbage', async () => {
    const token = await signToken(rsa);
    const cases: Array<[Parameters<typeof inspect>[1], string]> = [
      [{ source: 'jwks', jwks: '{"keys": [' }, 'The pasted JWKS is not valid JSON.'],
      [
        { source: 'jwks', jwks: '{"issuer": "x"}' },
        'the pasted JWKS is JSON, but neither a JWK Set ({"keys": [...]}) nor a JWK (no "kty").',
      ],
      [{ source: 'jwks', jwks: '{"keys": []}' }, 'the pasted JWKS has no keys.'],
      [
        { source: 'pem', pem: '-----BEGIN PRIVATE KEY-----\nMIIEsecretsecret\n-----END PRIVATE KEY-----' },
        'This is a private key. Paste the public key (BEGIN PUBLIC KEY) or the certificate instead; SSO Desk does not take private keys.',
      ],
      [
        { source: 'pem', pem: '-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----' },
        'This is a PKCS#1 RSA public key. Convert it to SPKI first: openssl rsa -RSAPublicKey_in -in key.pem -pubout',
      ],
      [
        { source: 'pem', pem: 'hello' },
        'The pasted text is not a PEM public key (BEGIN PUBLIC KEY) or certificate (BEGIN CERTIFICATE).',
      ],
      [
        { source: 'pem', pem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' },
        'The pasted public key could not be read (is the PEM complete, BEGIN to END?).',
      ],
    ];
    for (const [key, reason] of cases) {
      const r = await inspect(token, key);
      expect(r.verification.status).toBe('failed');
      expect(r.verification.reason).toBe(reason);
      expect(JSON.stringify(r)).not.toContain('secretsecret');
    }
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
