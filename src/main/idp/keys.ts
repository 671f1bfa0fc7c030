import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomToken } from '../engine/crypto/hash';

/** What the embedded IdP keeps per data dir: its signing keys, its cookie keys and its last port. */
export interface IdpState {
  version: 1;
  /** Private JWKs: the IdP signs ID tokens with them. Generated once, kept so tokens stay verifiable. */
  keys: JWK[];
  cookieKeys: string[];
  /** The port it listened on last time; reused so that the issuer URL stays the same across restarts. */
  port: number | null;
}

export const IDP_STATE_FILE = 'idp-keys.json';

/**
 * Loads the IdP's keys from the data dir, generating them on first start (RS256, 2048 bits). The file
 * holds private keys, so it is written 0600 like the SecretBox key file.
 */
export async function loadOrCreateIdpState(dataDir: string): Promise<IdpState> {
  const file = join(dataDir, IDP_STATE_FILE);
  if (existsSync(file)) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as IdpState;
    if (state.version === 1 && Array.isArray(state.keys) && state.keys.length > 0) {
      chmodSync(file, 0o600);
      return state;
    }
  }
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const state: IdpState = {
    version: 1,
    keys: [{ ...jwk, kid: `sso-desk-${randomToken(6)}`, alg: 'RS256', use: 'sig' }],
    cookieKeys: [randomToken(32)],
    port: null,
  };
  saveIdpState(dataDir, state);
  return state;
}

export function saveIdpState(dataDir: string, state: IdpState): void {
  const file = join(dataDir, IDP_STATE_FILE);
  writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  chmodSync(file, 0o600);
}
