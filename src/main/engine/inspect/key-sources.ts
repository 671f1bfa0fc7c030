import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { describeJwkType } from './algorithms';

/**
 * Verification keys as JWKs, whatever was pasted. `set`: a JWKS (pasted or discovered) where the
 * token's `kid` picks the key. `single`: the one key the user chose, used whatever its kid.
 * `label` names the source for people and never contains key material.
 */
export interface KeyMaterial {
  mode: 'set' | 'single';
  keys: JWK[];
  label: string;
}

export type KeyMaterialResult = { ok: true; material: KeyMaterial } | { ok: false; detail: string };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

/**
 * The public half of an asymmetric JWK (private members dropped, so a pasted private JWK still
 * verifies); a shared secret (`oct`) is kept whole because its secret is the verification key.
 */
export function publicPart(jwk: JWK): JWK {
  if (jwk.kty === 'oct' || !PRIVATE_MEMBERS.some((m) => m in jwk)) return jwk;
  const copy: Record<string, unknown> = { ...jwk };
  for (const m of PRIVATE_MEMBERS) delete copy[m];
  // key_ops of a private key say "sign"; its public half is for "verify".
  delete copy.key_ops;
  return copy as JWK;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses JSON without echoing it: JSON.parse's message quotes the input, and the input may be a
 * secret key.
 */
function parseJsonQuietly(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A JWK Set (RFC 7517 §5) — any number of keys — or, leniently, a bare array of JWKs or one JWK.
 * Refusing a full JWKS is what people hate about jwt.io (#723); every shape is accepted here.
 */
export function keysFromJson(value: unknown, label: string): KeyMaterialResult {
  let list: unknown[];
  if (isObject(value) && Array.isArray(value.keys)) list = value.keys;
  else if (Array.isArray(value)) list = value;
  else if (isObject(value) && typeof value.kty === 'string') list = [value];
  else return { ok: false, detail: `${label} is JSON, but neither a JWK Set ({"keys": [...]}) nor a JWK (no "kty").` };
  if (list.length === 0) return { ok: false, detail: `${label} has no keys.` };
  const keys: JWK[] = [];
  for (const [i, k] of list.entries()) {
    if (!isObject(k) || typeof k.kty !== 'string')
      return { ok: false, detail: `${label}: key ${i + 1} is not a JWK (an object with "kty").` };
    keys.push(publicPart(k as JWK));
  }
  return { ok: true, material: { mode: 'set', keys, label } };
}

/** Pasted JWKS text (or a single JWK pasted in the JWKS box). */
export function keysFromJwksText(text: string): KeyMaterialResult {
  const parsed = parseJsonQuietly(text);
  if (!parsed.ok) return { ok: false, detail: 'The pasted JWKS is not valid JSON.' };
  const r = keysFromJson(parsed.value, 'the pasted JWKS');
  if (r.ok && r.material.keys.length === 1 && !(isObject(parsed.value) && 'keys' in parsed.value)) {
    return {
      ok: true,
      material: {
        mode: 'single',
        keys: r.material.keys,
        label: `the pasted JWK (${describeJwkType(r.material.keys[0]!)})`,
      },
    };
  }
  if (r.ok)
    r.material.label = `the pasted JWKS (${r.material.keys.length} ${r.material.keys.length === 1 ? 'key' : 'keys'})`;
  return r;
}

/** A pasted single JWK: public key, private key (its public half is used) or shared secret. */
export function keyFromJwkText(text: string): KeyMaterialResult {
  const parsed = parseJsonQuietly(text);
  if (!parsed.ok) return { ok: false, detail: 'The pasted JWK is not valid JSON.' };
  const value = parsed.value;
  if (isObject(value) && Array.isArray(value.keys)) return keysFromJwksText(text);
  if (!isObject(value) || typeof value.kty !== 'string')
    return { ok: false, detail: 'The pasted JWK is JSON but not a JWK (no "kty").' };
  const jwk = publicPart(value as JWK);
  const kind = jwk.kty === 'oct' ? 'shared secret' : `${describeJwkType(jwk)} key`;
  return {
    ok: true,
    material: {
      mode: 'single',
      keys: [jwk],
      label: `the pasted JWK (${kind}${typeof jwk.kid === 'string' ? `, kid "${jwk.kid}"` : ''})`,
    },
  };
}

/**
 * A pasted PEM: an SPKI public key or an X.509 certificate, read by Node's crypto and turned into a
 * JWK so it goes through the same jose verification as everything else. Private keys are refused
 * (SSO Desk never takes one) and PKCS#1 public keys get the one command that converts them.
 */
export function keyFromPem(text: string, alg?: string): KeyMaterialResult {
  const pem = text.trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return {
      ok: false,
      detail:
        'This is a private key. Paste the public key (BEGIN PUBLIC KEY) or the certificate instead; SSO Desk does not take private keys.',
    };
  }
  if (/-----BEGIN RSA PUBLIC KEY-----/.test(pem)) {
    return {
      ok: false,
      detail:
        'This is a PKCS#1 RSA public key. Convert it to SPKI first: openssl rsa -RSAPublicKey_in -in key.pem -pubout',
    };
  }
  let key: KeyObject;
  let what: string;
  let extra = '';
  if (/-----BEGIN CERTIFICATE-----/.test(pem)) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      return { ok: false, detail: 'The pasted certificate could not be read (is the PEM complete, BEGIN to END?).' };
    }
    key = cert.publicKey;
    const subject = cert.subject.split('\n').join(', ');
    what = 'the pasted certificate';
    extra = `, ${subject || 'no subject'}, valid until ${new Date(cert.validTo).toISOString().slice(0, 10)}`;
  } else if (/-----BEGIN PUBLIC KEY-----/.test(pem)) {
    try {
      key = createPublicKey({ key: pem, format: 'pem' });
    } catch {
      return { ok: false, detail: 'The pasted public key could not be read (is the PEM complete, BEGIN to END?).' };
    }
    what = 'the pasted public key';
  } else {
    return {
      ok: false,
      detail: 'The pasted text is not a PEM public key (BEGIN PUBLIC KEY) or certificate (BEGIN CERTIFICATE).',
    };
  }
  let jwk: JWK;
  try {
    jwk = key.export({ format: 'jwk' }) as JWK;
  } catch {
    return {
      ok: false,
      detail: `The pasted key is of a type SSO Desk cannot verify with (${key.asymmetricKeyType ?? 'unknown'}).`,
    };
  }
  if (alg) jwk.alg = alg;
  return { ok: true, material: { mode: 'single', keys: [jwk], label: `${what} (${describeJwkType(jwk)}${extra})` } };
}
