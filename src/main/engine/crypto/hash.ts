import {
  hash,
  randomBytes,
  randomFillSync,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

// scrypt's recommended interactive-login cost (RFC 7914 §2: N=2^14..2^15, r=8, p=1). The parameters
// ride along in the stored string so that they can be raised later without breaking old hashes.
const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 128 * N * R * 2;

/** A salted scrypt hash: `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored scrypt hash, in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, 'base64url');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const key = await scrypt(password, Buffer.from(saltB64, 'base64url'), expected.length, {
    ...cost,
    maxmem: 128 * cost.N * cost.r * 2,
  });
  return timingSafeEqual(key, expected);
}

/** SHA-256, hex: how API keys, secrets and tokens are stored. (One-shot `crypto.hash`: no Hash object per call.) */
export const sha256 = (value: string): string => hash('sha256', value, 'hex');

/**
 * Equal strings, compared without leaking where they differ. Strings of different lengths are hashed
 * to equal length first; strings of the same length (the stored hashes the hot paths compare) are
 * compared as they are, which is as constant-time and spares two hashes.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ba.length === bb.length) return timingSafeEqual(ba, bb);
  return timingSafeEqual(hash('sha256', ba, 'buffer'), hash('sha256', bb, 'buffer'));
}

// Random bytes are drawn from the CSPRNG 4 KiB at a time and each byte is handed out once (as Node's
// randomUUID does): one call into OpenSSL per 128 tokens instead of one per token.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** `bytes` random bytes, base64url: 32 bytes = 256 bits. */
export function randomToken(bytes = 32): string {
  if (bytes > POOL_SIZE / 4) return randomBytes(bytes).toString('base64url');
  if (poolOffset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const out = pool.toString('base64url', poolOffset, poolOffset + bytes);
  // The bytes given out are wiped, so no later read of the pool could see them again.
  pool.fill(0, poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return out;
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time of one password check on a hash nobody has, and answers false: an unknown email
 * then takes about as long as a wrong password (no timing oracle for which emails exist).
 */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword(randomToken(16));
  await verifyPassword(password, await dummy);
  return false;
}
