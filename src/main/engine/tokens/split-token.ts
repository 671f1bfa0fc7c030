import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import type { Db } from '../../store/db';
import { getSetting } from '../../store/settings';
import { findLegacyTokenByHash, findTokenById, type TokenRow } from '../../store/sso-tokens';
import { constantTimeEqual, randomToken, sha256 } from '../crypto/hash';
import { TOKEN_BYTES } from './lifetime';

/**
 * Platform API tokens are split tokens: `<selector><verifier>`.
 *
 * - The verifier is 32 random bytes (43 base64url characters). Only its SHA-256 is stored, and a
 *   presented token is accepted only if the SHA-256 of its verifier matches, compared in constant time.
 * - The selector names the token's row: its row id, sealed into one AES-128 block (22 characters) with a
 *   key of this data dir (`tokens.selector_key`, made by migration 93).
 *
 * Why: a token found by the hash of the whole token needs an index on that hash, and random keys land
 * on a random page of it: one more page written by every issuance and one more by every prune delete
 * (bench/tokens, bench/growth: the index cost ~40 µs of a ~110 µs store write). Found by row id, a
 * token is a primary-key seek, issuance appends to the end of the table, and pruning deletes a
 * contiguous range.
 *
 * Why sealed: a bare row id would tell anyone holding two tokens (they travel in URLs) how many
 * tokens the desk issued in between, for every account. One block cipher call on a unique counter is a
 * pseudorandom permutation of it (ECB on a single block is exactly that, nothing more), and the ten
 * zero bytes beside the id make a made-up selector fail to open before any lookup.
 *
 * Tokens issued before migration 93 are the verifier alone (43 characters) and are still found by
 * the hash of the whole token, through a partial index that holds only them, for the 60 minutes they live.
 */

const SELECTOR_LENGTH = 22; // 16 bytes, base64url
const VERIFIER_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3); // 43
const ID_BYTES = 6; // row ids up to 2^48: centuries of tokens at thousands a second
const MAX_ID = 2 ** (8 * ID_BYTES) - 1;

interface Sealer {
  seal(id: number): string;
  open(selector: string): number | null;
}

const sealers = new WeakMap<Db, Sealer>();

function sealerOf(db: Db): Sealer {
  let s = sealers.get(db);
  if (s) return s;
  const hex = getSetting<string | null>(db, SELECTOR_KEY_SETTING, null);
  if (!hex || !/^[0-9a-f]{32}$/.test(hex))
    throw new Error(`settings.${SELECTOR_KEY_SETTING} is missing or malformed (migration 93 makes it)`);
  const key = Buffer.from(hex, 'hex');
  // One cipher object each way, kept: without padding, ECB turns each 16-byte update into 16 bytes at
  // once and keeps no state between blocks, so the objects can serve every call.
  const enc: Cipher = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  const dec: Decipher = createDecipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  s = {
    seal(id) {
      if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID) throw new Error(`token row id out of range: ${id}`);
      const block = Buffer.alloc(16);
      block.writeUIntBE(id, 16 - ID_BYTES, ID_BYTES);
      return enc.update(block).toString('base64url');
    },
    open(selector) {
      const sealed = Buffer.from(selector, 'base64url');
      // Only the canonical spelling of 16 bytes: a selector has exactly one string form.
      if (sealed.length !== 16 || sealed.toString('base64url') !== selector) return null;
      const block = dec.update(sealed);
      for (let i = 0; i < 16 - ID_BYTES; i++) if (block[i] !== 0) return null;
      const id = block.readUIntBE(16 - ID_BYTES, ID_BYTES);
      return id >= 1 ? id : null;
    },
  };
  sealers.set(db, s);
  return s;
}

export const SELECTOR_KEY_SETTING = 'tokens.selector_key';

/** A new token's verifier and the hash to store; the token itself exists once the row has its id. */
export interface Verifier {
  verifier: string;
  hash: string;
}

export function newVerifier(): Verifier {
  const verifier = randomToken(TOKEN_BYTES);
  return { verifier, hash: sha256(verifier) };
}

/** The token to hand out for the row `id` that stores `v.hash`. */
export const tokenOf = (db: Db, id: number, v: Verifier): string => sealerOf(db).seal(id) + v.verifier;

/**
 * The row a presented token names, if its verifier matches. `hash` is the stored form of what was
 * presented (the SHA-256 of its verifier, or of the whole token for a pre-93 one), for fingerprints in
 * the audit log, whether or not anything matched. Never throws for a malformed token.
 */
export function findIssuedToken(db: Db, token: string): { hash: string; row: TokenRow | undefined } {
  if (token.length === SELECTOR_LENGTH + VERIFIER_LENGTH) {
    const hash = sha256(token.slice(SELECTOR_LENGTH));
    const id = sealerOf(db).open(token.slice(0, SELECTOR_LENGTH));
    const row = id === null ? undefined : findTokenById(db, id);
    return { hash, row: row && constantTimeEqual(row.hash, hash) ? row : undefined };
  }
  const hash = sha256(token);
  if (token.length !== VERIFIER_LENGTH) return { hash, row: undefined };
  const row = findLegacyTokenByHash(db, hash);
  return { hash, row: row && constantTimeEqual(row.hash, hash) ? row : undefined };
}
