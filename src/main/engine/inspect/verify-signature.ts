import { compactVerify, createLocalJWKSet, errors, importJWK, type JWK } from 'jose';
import type { TokenCheck } from '@shared/contract/inspect';
import { ALGORITHMS, describeJwkType, isKnownAlgorithm, jwkFitsAlgorithm } from './algorithms';
import type { KeyMaterial } from './key-sources';

const check = (id: string, name: string, ok: boolean, detail: string): TokenCheck => ({ id, name, ok, detail });
const algCheck = (ok: boolean, detail: string) => check('algorithm', 'Algorithm', ok, detail);
const keyCheck = (ok: boolean, detail: string) => check('key', 'Key', ok, detail);
const sigCheck = (ok: boolean, detail: string) => check('signature', 'Signature', ok, detail);

const kidOf = (k: JWK): string | undefined => (typeof k.kid === 'string' ? k.kid : undefined);
const nameKey = (k: JWK): string =>
  kidOf(k) !== undefined ? `"${kidOf(k)}" (${describeJwkType(k)})` : `without kid (${describeJwkType(k)})`;
const listKeys = (keys: JWK[]): string => keys.map(nameKey).join(', ');

/**
 * The `alg` header checked before any key is touched: `none` is refused (RFC 8725 §3.1: an unsigned
 * token proves nothing), and only the algorithms SSO Desk knows how to verify are allowed.
 */
export function checkAlgorithmHeader(header: Record<string, unknown>): TokenCheck | null {
  const alg = header.alg;
  if (alg === 'none')
    return algCheck(false, 'alg is "none": the token is not signed, so anyone could have written it. Refused.');
  if (typeof alg !== 'string' || !alg)
    return algCheck(false, 'The header has no alg, so the token cannot be verified.');
  if (!isKnownAlgorithm(alg))
    return algCheck(false, `alg "${alg}" is not allowed; SSO Desk verifies ${Object.keys(ALGORITHMS).join(', ')}.`);
  return null;
}

/**
 * Picks the key for the token and verifies its JWS signature with jose (RFC 7515 §5.2). Returns the
 * Algorithm, Key and Signature checks in order, stopping at the first that fails. The reasons say
 * what a person needs: the kid asked for and the kids available; an HMAC token presented with a
 * public key (the RFC 8725 §2.1 algorithm-confusion attack) refused; a key pinned to another alg.
 */
export async function verifySignature(
  token: string,
  header: Record<string, unknown>,
  material: KeyMaterial,
): Promise<TokenCheck[]> {
  const early = checkAlgorithmHeader(header);
  if (early) return [early];
  const alg = header.alg as string;
  const family = ALGORITHMS[alg]!;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const pool = material.keys.filter((k) => (k.kty === 'oct') === family.secret);

  if (pool.length === 0) {
    const detail = family.secret
      ? `${alg} is an HMAC algorithm, verified with a shared secret, but ${material.label} ` +
        `holds only public keys. Anyone has a public key, so accepting ${alg} with it would ` +
        `let anyone forge tokens: refused.`
      : `${alg} needs ${family.label}, but ${material.label} is a shared secret.`;
    return [algCheck(false, detail)];
  }

  let candidates: JWK[];
  if (material.mode === 'single') {
    candidates = pool;
  } else if (kid !== undefined) {
    candidates = pool.filter((k) => kidOf(k) === kid);
    if (candidates.length === 0) {
      const other = material.keys.find((k) => kidOf(k) === kid);
      if (other)
        return [
          algCheck(false, `Algorithm not allowed: ${alg} needs ${family.label}, but key ${nameKey(other)} is not one.`),
        ];
      const kids = material.keys.map(kidOf).filter((k): k is string => k !== undefined);
      const available = kids.length ? `it has ${kids.map((k) => `"${k}"`).join(', ')}` : 'its keys have no kid';
      return [
        algCheck(true, `${alg} is allowed.`),
        keyCheck(
          false,
          `Unknown kid "${kid}": no key with that ID in ${material.label}; ${available}. The issuer may have rotated its keys.`,
        ),
      ];
    }
  } else {
    candidates = pool.filter((k) => jwkFitsAlgorithm(k, alg) && (k.alg === undefined || k.alg === alg));
    if (candidates.length === 0) {
      return [
        algCheck(true, `${alg} is allowed.`),
        keyCheck(
          false,
          `The token has no kid and no key in ${material.label} fits ${alg} (it has ${listKeys(material.keys)}).`,
        ),
      ];
    }
  }

  // Every candidate must fit the alg: a key pinned to another alg, or of another type, is refused.
  const pinned = candidates.find((k) => k.alg !== undefined && k.alg !== alg);
  if (pinned && candidates.length === 1) {
    return [
      algCheck(
        false,
        `Algorithm not allowed: key ${nameKey(pinned)} is declared for ${pinned.alg}, but the token says ${alg}.`,
      ),
    ];
  }
  const misfit = candidates.find((k) => !jwkFitsAlgorithm(k, alg));
  if (misfit && candidates.length === 1) {
    return [
      algCheck(false, `Algorithm not allowed: ${alg} needs ${family.label}, but key ${nameKey(misfit)} is not one.`),
    ];
  }
  const checks = [algCheck(true, `${alg} is allowed for this key.`)];
  const keyWords =
    material.mode === 'single'
      ? material.label
      : candidates.length === 1
        ? `key ${nameKey(candidates[0]!)} from ${material.label}`
        : `${candidates.length} keys of ${material.label}`;
  checks.push(keyCheck(true, `Using ${keyWords}.`));

  try {
    const used = await verifyWith(token, alg, material, candidates);
    checks.push(sigCheck(true, `The ${alg} signature is valid for ${used ? `key ${nameKey(used)}` : material.label}.`));
  } catch (e) {
    checks.push(signatureFailure(e, alg, keyWords));
  }
  return checks;
}

/** jose verifies; a JWKS goes through createLocalJWKSet, a single key or a secret through importJWK. */
async function verifyWith(token: string, alg: string, material: KeyMaterial, candidates: JWK[]): Promise<JWK | null> {
  const options = { algorithms: [alg] };
  if (material.mode === 'set' && !ALGORITHMS[alg]!.secret) {
    const jwks = createLocalJWKSet({ keys: candidates });
    try {
      await compactVerify(token, jwks, options);
      return candidates.length === 1 ? candidates[0]! : null;
    } catch (e) {
      // Several keys fit (no kid): jose hands them over one by one, as its docs recommend.
      if (!(e instanceof errors.JWKSMultipleMatchingKeys)) throw e;
      for await (const key of e as unknown as AsyncIterable<CryptoKey>) {
        try {
          await compactVerify(token, key, options);
          return null;
        } catch (inner) {
          if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
        }
      }
      throw new errors.JWSSignatureVerificationFailed();
    }
  }
  let last: unknown = null;
  for (const jwk of candidates) {
    try {
      // The user chose this key for this token: its declared use/key_ops are not a reason to refuse it.
      const { key_ops: _ops, use: _use, ...bare } = jwk;
      await compactVerify(token, await importJWK(bare as JWK, alg), options);
      return material.mode === 'set' ? jwk : null;
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

function signatureFailure(e: unknown, alg: string, keyWords: string): TokenCheck {
  if (e instanceof errors.JWSSignatureVerificationFailed) {
    return sigCheck(
      false,
      `Bad signature: the ${alg} signature does not match ${keyWords}. The token was changed after signing, or another key signed it.`,
    );
  }
  if (e instanceof errors.JWKSNoMatchingKey)
    return keyCheck(false, `No usable key for ${alg} in ${keyWords} (check the keys’ use and key_ops).`);
  if (e instanceof errors.JOSEAlgNotAllowed) return algCheck(false, `Algorithm not allowed: ${alg}.`);
  if (e instanceof errors.JWSInvalid) return sigCheck(false, `The token is not a valid JWS: ${e.message}.`);
  // jose and WebCrypto messages name types and sizes (e.g. "RS256 requires key modulusLength to be
  // 2048 bits or larger"), never key material.
  return sigCheck(false, `The key cannot verify this token: ${(e as Error)?.message ?? String(e)}.`);
}
