import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { z } from 'zod';
import { DeskError } from '@shared/errors';
import { HashedKey, HashedPassword, WORKSPACE_FORMAT } from '@shared/workspace';
import { describeIssue } from '@shared/zod-path';

/**
 * The `secrets` envelope of a workspace file (docs/workspace.md): the secrets of an export made with
 * "include secrets", encrypted with a passphrase.
 *
 * `v1:<salt>:<iv>:<ciphertext+tag>` (base64url): the key is scrypt(passphrase, 16-byte salt, N=2^15,
 * r=8, p=1, 32 bytes) — RFC 7914's interactive cost —, the cipher AES-256-GCM with a fresh 96-bit IV
 * and the file's format as additional data, so an envelope cannot be moved into another format.
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const AAD = Buffer.from(`${WORKSPACE_FORMAT} secrets v1`, 'utf8');
export const MIN_PASSPHRASE = 8;

const deriveKey = (passphrase: string, salt: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, { N, r: R, p: P, maxmem: 128 * N * R * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

/**
 * What the envelope carries: per account its OIDC client secret, SAML SP key and SCIM token hash,
 * per user (by email) the password hash.
 */
export const SecretsPayload = z.strictObject({
  accounts: z
    .record(
      z.string(),
      z.strictObject({
        oidc: z
          .strictObject({
            clientSecret: z.string().max(2048).optional(),
            clientPrivateKey: z.string().max(16_384).optional(),
          })
          .optional(),
        saml: z.strictObject({ spPrivateKey: z.string().max(16_384) }).optional(),
        /** The provisioning token as stored: its SHA-256 and last four characters (the value was never kept). */
        scim: z.strictObject({ token: HashedKey }).optional(),
      }),
    )
    .default({}),
  users: z.record(z.string(), z.strictObject({ password: HashedPassword })).default({}),
});
export type SecretsPayload = z.infer<typeof SecretsPayload>;

/**
 * Encrypts the payload under the passphrase.
 * @throws DeskError `passphrase_short` when the passphrase has fewer than 8 characters.
 */
export async function sealSecrets(payload: SecretsPayload, passphrase: string): Promise<string> {
  if (passphrase.length < MIN_PASSPHRASE)
    throw new DeskError('passphrase_short', `passphrase: expected at least ${MIN_PASSPHRASE} characters`, {
      field: 'passphrase',
    });
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return ['v1', salt.toString('base64url'), iv.toString('base64url'), body.toString('base64url')].join(':');
}

/**
 * Decrypts an envelope.
 * @throws DeskError `passphrase_required` without a passphrase, `passphrase_wrong` when it does not open
 *   the envelope (a wrong passphrase and a damaged file look the same to GCM), `invalid_input` when the
 *   clear text is not a secrets payload.
 */
export async function openSecrets(enc: string, passphrase: string | undefined): Promise<SecretsPayload> {
  if (!passphrase)
    throw new DeskError(
      'passphrase_required',
      'this workspace file carries encrypted secrets: give the passphrase it was exported with',
      { field: 'passphrase' },
    );
  const [version, saltB64, ivB64, bodyB64] = enc.split(':');
  if (version !== 'v1' || !saltB64 || !ivB64 || !bodyB64)
    throw new DeskError('invalid_input', 'secrets.enc: unknown envelope version', { field: 'secrets.enc' });
  const salt = Buffer.from(saltB64, 'base64url');
  const iv = Buffer.from(ivB64, 'base64url');
  const body = Buffer.from(bodyB64, 'base64url');
  if (salt.length !== 16 || iv.length !== 12 || body.length < 17)
    throw new DeskError('invalid_input', 'secrets.enc: damaged envelope', { field: 'secrets.enc' });
  const key = await deriveKey(passphrase, salt);
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(AAD);
    decipher.setAuthTag(body.subarray(body.length - 16));
    text = Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new DeskError(
      'passphrase_wrong',
      'the passphrase does not open this file’s secrets (wrong passphrase, or the file was changed)',
      {
        field: 'passphrase',
      },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DeskError('invalid_input', 'secrets.enc: the secrets are not JSON', { field: 'secrets.enc' });
  }
  const parsed = SecretsPayload.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error);
    throw new DeskError('invalid_input', `secrets.${message}`, { field: `secrets.${field}` });
  }
  return parsed.data;
}
