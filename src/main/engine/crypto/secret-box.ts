import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '@shared/errors';

/**
 * Encrypts secrets at rest (client secrets, demo credentials). Ciphertext carries a version prefix so
 * the scheme can change: `v1:` is AES-256-GCM with a key file (browser host), `e1:` is Electron
 * safeStorage (desktop app).
 */
export interface SecretBox {
  readonly scheme: string;
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

export const KEY_FILE = 'secret.key';

/** AES-256-GCM with a fresh 96-bit IV per message and a 0600 key file in the data dir. */
export function fileKeySecretBox(dataDir: string): SecretBox {
  const keyPath = join(dataDir, KEY_FILE);
  let key: Buffer;
  if (existsSync(keyPath)) {
    key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
    if (key.length !== 32)
      throw new DeskError('secret_key_invalid', `${keyPath} is not a 256-bit key`, { status: 500 });
  } else {
    key = randomBytes(32);
    writeFileSync(keyPath, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(keyPath, 0o600);
  return {
    scheme: 'v1',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(text) {
      if (!text.startsWith('v1:'))
        throw new DeskError('secret_scheme', 'this secret was encrypted by another scheme', { status: 500 });
      const raw = Buffer.from(text.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
