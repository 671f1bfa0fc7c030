import { describe, expect, it } from 'vitest';
import { inspectToken } from '../../../src/main/engine/inspect/jwt-inspect';

/**
 * The published examples, byte for byte: RFC 7515 Appendix A (A.1 HS256, A.2 RS256, A.3 ES256,
 * A.4 ES512), RFC 7520 §4.1–4.4 (the signed plain text "It’s a dangerous business, Frodo…") and
 * RFC 8037 Appendix A.4 (Ed25519). Only the public halves of the keys are given (and the A.1/§4.4
 * shared secrets). A signature verifies only with the exact token and key, so a typo fails the test.
 */
const PAYLOAD_A = 'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ';
const FRODO =
  "It’s a dangerous business, Frodo, going out your door. You step onto the road, and if you don't keep your feet, there’s no knowing where you might be swept off to.";
const FRODO_B64 =
  'SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4';
const BILBO_RSA = {
  kty: 'RSA',
  kid: 'bilbo.baggins@hobbiton.example',
  use: 'sig',
  n:
    'n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-' +
    'OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw',
  e: 'AQAB',
};

interface Vector {
  name: string;
  token: string;
  jwk: Record<string, string>;
  /** The payload as text when it is not a JSON claims set. */
  text?: string;
  claims?: Record<string, unknown>;
}

const A_CLAIMS = { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true };

const VECTORS: Vector[] = [
  {
    name: 'RFC 7515 A.1 HS256',
    token: `eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${PAYLOAD_A}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`,
    jwk: { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' },
    claims: A_CLAIMS,
  },
  {
    name: 'RFC 7515 A.2 RS256',
    token:
      `eyJhbGciOiJSUzI1NiJ9.${PAYLOAD_A}.` +
      'cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4' +
      'BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv' +
      'hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw',
    jwk: {
      kty: 'RSA',
      n:
        'ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOW' +
        'vG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9k' +
        'G4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ',
      e: 'AQAB',
    },
    claims: A_CLAIMS,
  },
  {
    name: 'RFC 7515 A.3 ES256',
    token: `eyJhbGciOiJFUzI1NiJ9.${PAYLOAD_A}.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q`,
    jwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    },
    claims: A_CLAIMS,
  },
  {
    name: 'RFC 7515 A.4 ES512 (payload "Payload")',
    token:
      'eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.' +
      'AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8Kp' +
      'EHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn',
    jwk: {
      kty: 'EC',
      crv: 'P-521',
      x: 'AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk',
      y: 'ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2',
    },
    text: 'Payload',
  },
  {
    name: 'RFC 7520 §4.1 RS256',
    token:
      `eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.${FRODO_B64}.` +
      'MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmD' +
      'LJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2' +
      'aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg',
    jwk: BILBO_RSA,
    text: FRODO,
  },
  {
    name: 'RFC 7520 §4.2 PS384',
    token:
      `eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.${FRODO_B64}.` +
      'cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvW' +
      'Xzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6ui' +
      'P1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw',
    jwk: BILBO_RSA,
    text: FRODO,
  },
  {
    name: 'RFC 7520 §4.3 ES512',
    token:
      `eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.${FRODO_B64}.` +
      'AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD89' +
      '0jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2',
    jwk: {
      kty: 'EC',
      kid: 'bilbo.baggins@hobbiton.example',
      use: 'sig',
      crv: 'P-521',
      x: 'AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt',
      y: 'AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1',
    },
    text: FRODO,
  },
  {
    name: 'RFC 7520 §4.4 HS256',
    token: `eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.${FRODO_B64}.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0`,
    jwk: {
      kty: 'oct',
      kid: '018c0ae5-4d9b-471b-bfd6-eef314bc7037',
      use: 'sig',
      alg: 'HS256',
      k: 'hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg',
    },
    text: FRODO,
  },
  {
    name: 'RFC 8037 A.4 Ed25519',
    token:
      'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg',
    jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
    text: 'Example of Ed25519 signing',
  },
];

// The RFC examples expired long ago (exp 2011): check times as of before that, so the signature is what decides.
const NOW = Date.parse('2011-03-01T00:00:00Z');

/** Flips one character in the middle of the signature. */
const tamper = (token: string): string => {
  const i = token.length - 10;
  return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
};

describe('inspect.token: the published RFC examples', () => {
  for (const v of VECTORS) {
    it(`${v.name}: decoded and verified with the RFC's key; a changed signature fails`, async () => {
      const r = await inspectToken(
        { token: v.token, key: { source: 'jwk', jwk: JSON.stringify(v.jwk) } },
        { now: NOW },
      );
      expect(r.verification.status, r.verification.reason).toBe('verified');
      expect(r.verification.checks.find((c) => c.id === 'signature')?.ok).toBe(true);
      expect(r.signatureMissing).toBe(false);
      if (v.text !== undefined) {
        expect(r.kind).toBe('jws');
        expect(r.payloadText).toBe(v.text);
        expect(r.claims).toBeNull();
        expect(r.summary).toMatch(/payload is text, not a JSON claims set/);
        expect(r.summary).not.toMatch(/opaque/i);
      } else {
        expect(r.kind).toBe('jwt');
        expect(r.claims).toEqual(v.claims);
      }
      const bad = await inspectToken(
        { token: tamper(v.token), key: { source: 'jwk', jwk: JSON.stringify(v.jwk) } },
        { now: NOW },
      );
      expect(bad.verification.status).toBe('failed');
    });
  }

  it('a JWT (typ JWT) whose payload is not a JSON object is decoded as text and refused as a JWT (RFC 7519 §7.2)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from('not json').toString('base64url');
    const { createHmac } = await import('node:crypto');
    const key = Buffer.from('a-shared-secret-of-at-least-32-bytes!!');
    const sig = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
    const r = await inspectToken(
      {
        token: `${header}.${payload}.${sig}`,
        key: { source: 'jwk', jwk: JSON.stringify({ kty: 'oct', k: key.toString('base64url') }) },
      },
      { now: NOW },
    );
    expect(r.kind).toBe('jws');
    expect(r.payloadText).toBe('not json');
    expect(r.verification.checks.find((c) => c.id === 'signature')?.ok).toBe(true);
    expect(r.verification.status).toBe('failed');
    expect(r.verification.reason).toMatch(/not a JSON object, so it is not a valid JWT \(RFC 7519 §7\.2\)/);
  });

  it('a two-part token (header.payload, signature cut off) is decoded with "signature missing — cut off when copied?"', async () => {
    const [h, p] = VECTORS[0]!.token.split('.');
    for (const token of [`${h}.${p}`, `${h}.${p}.`]) {
      const r = await inspectToken(
        { token, key: { source: 'jwk', jwk: JSON.stringify(VECTORS[0]!.jwk) } },
        { now: NOW },
      );
      expect(r.kind, token).toBe('jwt');
      expect(r.claims).toEqual(A_CLAIMS);
      expect(r.signatureMissing).toBe(true);
      expect(r.summary).toMatch(/signature is missing: cut off when copied\?/);
      expect(r.verification.status).toBe('failed');
      expect(r.verification.reason).toMatch(/^Signature missing — cut off when copied\?/);
    }
    const text = VECTORS.find((v) => v.name.startsWith('RFC 8037'))!.token.split('.');
    const r = await inspectToken({ token: `${text[0]}.${text[1]}` }, { now: NOW });
    expect(r.kind).toBe('jws');
    expect(r.summary).toMatch(/signature missing — cut off when copied\?/);
  });
});
