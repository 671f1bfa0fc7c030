import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { importPKCS8 } from 'jose';
import { DeskError } from '@shared/errors';

/**
 * The key pair of `private_key_jwt` client authentication (RFC 7523 §2.2, OpenID Connect Core 1.0
 * §9): SSO Desk generates one per account (or imports the admin's), keeps the private key as PKCS#8
 * PEM encrypted with the SecretBox, and shows the public half as a JWKS for the admin to register.
 */
export interface ClientKeyPair {
  /** PKCS#8 PEM: encrypt before storing, never show. */
  privatePem: string;
  /** The public JWK set to register at the IdP. */
  jwks: { keys: Array<Record<string, unknown>> };
  alg: string;
  kid: string;
}

/** A new RSA 2048 key for RS256, which every IdP that offers private_key_jwt accepts. */
export function generateClientKey(): ClientKeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return describe(privateKey);
}

/**
 * Reads an admin's private key: PKCS#8 / PKCS#1 / SEC1 PEM, or a private JWK as JSON. RSA (RS256),
 * EC P-256/P-384 (ES256/ES384) and Ed25519 (EdDSA).
 * @throws DeskError `invalid_input` naming `field` when the key does not parse or is not private.
 */
export function parseClientKey(text: string, field: string): ClientKeyPair {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
      : createPrivateKey({ key: trimmed, format: 'pem' });
  } catch {
    throw new DeskError(
      'invalid_input',
      `${field}: the private key does not parse; paste a PKCS#8 PEM ("-----BEGIN PRIVATE ` +
        `KEY-----") or a private JWK as JSON. Nothing was saved.`,
      { field },
    );
  }
  try {
    return describe(key);
  } catch (error) {
    throw new DeskError('invalid_input', `${field}: ${(error as Error).message}. Nothing was saved.`, { field });
  }
}

function algOf(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      throw new Error('an RSA key for private_key_jwt needs at least 2048 bits');
    return 'RS256';
  }
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    throw new Error(`the EC curve ${curve ?? 'unknown'} is not supported (use P-256 or P-384)`);
  }
  if (type === 'ed25519') return 'EdDSA';
  throw new Error(`a ${type ?? 'unknown'} key cannot sign a client assertion (use RSA, EC P-256 or Ed25519)`);
}

function describe(privateKey: KeyObject): ClientKeyPair {
  if (privateKey.type !== 'private') throw new Error('this is not a private key');
  const alg = algOf(privateKey);
  const pub = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, unknown>;
  const kid = thumbprint(pub);
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { privatePem, jwks: { keys: [{ ...pub, kid, alg, use: 'sig' }] }, alg, kid };
}

/** The RFC 7638 JWK thumbprint (SHA-256, base64url) as the key id. */
function thumbprint(jwk: Record<string, unknown>): string {
  const members: Record<string, string[]> = {
    RSA: ['e', 'kty', 'n'],
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
  };
  const names = members[String(jwk.kty)] ?? Object.keys(jwk).sort();
  const canonical = JSON.stringify(Object.fromEntries(names.map((n) => [n, jwk[n]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** The private key as the CryptoKey openid-client's PrivateKeyJwt signs with. */
export async function clientSigningKey(privatePem: string, alg: string): Promise<CryptoKey> {
  return importPKCS8(privatePem, alg);
}
