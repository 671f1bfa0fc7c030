import { afterEach, describe, expect, it } from 'vitest';
import { statSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileKeySecretBox, KEY_FILE } from '../../src/main/engine/crypto/secret-box';
import { constantTimeEqual, randomToken } from '../../src/main/engine/crypto/hash';
import { tempDir } from '../helpers';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('file-key SecretBox (AES-256-GCM)', () => {
  it('round-trips, uses a fresh IV each time, and keeps its key in a 0600 file that survives a restart', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const box = fileKeySecretBox(dir);
    const a = box.encrypt('client-secret');
    const b = box.encrypt('client-secret');
    expect(a).toMatch(/^v1:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('client-secret');
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fileKeySecretBox(dir).decrypt(a)).toBe('client-secret');
  });

  it('refuses tampered ciphertext and a foreign scheme', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const box = fileKeySecretBox(dir);
    const c = Buffer.from(box.encrypt('value').slice(3), 'base64');
    c[c.length - 1]! ^= 1;
    expect(() => box.decrypt(`v1:${c.toString('base64')}`)).toThrow();
    expect(() => box.decrypt('e1:abcd')).toThrow(/another scheme/);
  });

  it('refuses a key file that is not a 256-bit key', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, KEY_FILE), 'short');
    expect(() => fileKeySecretBox(dir)).toThrow(/not a 256-bit key/);
    expect(readFileSync(join(dir, KEY_FILE), 'utf8')).toBe('short');
  });
});

describe('hash helpers', () => {
  it('compares in constant time regardless of length and makes 256-bit URL-safe tokens', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('never hands out the same random bytes twice, across refills of the pool', () => {
    // 1,000 tokens of 32 bytes span eight refills of the 4 KiB pool; odd sizes straddle its end.
    const tokens = Array.from({ length: 1000 }, (_, i) => randomToken(i % 7 === 0 ? 33 : 32));
    expect(new Set(tokens).size).toBe(tokens.length);
    // Distinct and random-looking: no 32-byte token is all zeros (a wiped pool read twice would be).
    expect(tokens.some((t) => /^A+$/.test(t))).toBe(false);
    // Large requests bypass the pool.
    expect(Buffer.from(randomToken(2048), 'base64url')).toHaveLength(2048);
  });
});
