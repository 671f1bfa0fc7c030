import type { KeySource, TokenCheck, TokenInspection, Verification } from '../../../shared/contract/inspect';
import { invalidInput } from '../../../shared/errors';
import { describeClaims } from './claims';
import { checkAudience } from './check-audience';
import { checkExpiry, checkNotBefore } from './check-times';
import { describeHeader } from './header-params';
import { discoverJwks } from './issuer-discovery';
import type { FetchLike } from '../network/outbound';
import { keyFromJwkText, keyFromPem, keysFromJson, keysFromJwksText, type KeyMaterialResult } from './key-sources';
import { cleanToken, readTokenShape } from './token-shape';
import { checkAlgorithmHeader, verifySignature } from './verify-signature';

export interface InspectRequest {
  token: string;
  key?: KeySource | undefined;
  audience?: string | undefined;
}

export interface InspectOptions {
  /** Epoch milliseconds the times are checked against. */
  now: number;
  /** Per discovery request (configuration, then JWKS); default 5 s. */
  discoveryTimeoutMs?: number;
  /** The outbound fetch (proxy, trusted CAs) for discovery. */
  fetch?: FetchLike | undefined;
}

const OPAQUE_SENTENCE =
  'It carries no readable claims: only its issuer can say whom it belongs to and whether it is still valid, through the issuer’s token introspection endpoint (RFC 7662).';

/**
 * Decodes and explains a token and, when a key source is given, verifies it: JWS signature with jose
 * (RFC 7515), then exp, nbf and aud (RFC 7519 §4.1). Opaque tokens and JWEs are recognised and
 * explained, never guessed at. Verification failures are results, not errors; the only error is an
 * empty token (`invalid_input`). Key material is never echoed back.
 * @see https://www.rfc-editor.org/rfc/rfc8725 JWT Best Current Practices (alg none, algorithm confusion)
 */
export async function inspectToken(request: InspectRequest, opts: InspectOptions): Promise<TokenInspection> {
  const now = opts.now;
  const token = cleanToken(request.token);
  if (!token) throw invalidInput('token', 'paste a token');
  const shape = readTokenShape(token);

  if (shape.kind === 'opaque') {
    const summary = `An opaque token (${token.length} characters), not a JWT. ${shape.why} ${OPAQUE_SENTENCE}`;
    return {
      kind: 'opaque',
      tokenType: 'Opaque token',
      summary,
      header: null,
      claims: null,
      headerFields: [],
      claimFields: [],
      checkedAt: now,
      verification: { status: 'skipped', reason: `Opaque tokens cannot be verified here. ${OPAQUE_SENTENCE}`, keySource: null, checks: [] },
    };
  }

  if (shape.kind === 'jwe') {
    const what = `An encrypted token (JWE, alg ${String(shape.header.alg)}, enc ${String(shape.header.enc)}).`;
    const why = 'Its claims are encrypted for the recipient and can only be read with the recipient’s private key, which SSO Desk does not take; only the header is shown.';
    return {
      kind: 'jwe',
      tokenType: 'Encrypted token (JWE)',
      summary: `${what} ${why}`,
      header: shape.header,
      claims: null,
      headerFields: describeHeader(shape.header),
      claimFields: [],
      checkedAt: now,
      verification: { status: 'skipped', reason: `Not verified: ${why}`, keySource: null, checks: [] },
    };
  }

  const { header, claims } = shape;
  const tokenType = guessTokenType(header, claims);
  const alg = typeof header.alg === 'string' ? header.alg : '?';
  const summary = shape.unsecured
    ? 'An unsecured JWT: alg is "none", so it carries no signature and must never be trusted.'
    : `A signed JWT (${alg}) with ${Object.keys(claims).length} claims${tokenType !== 'JWT' ? `; by its ${header.typ === undefined || header.typ === 'JWT' ? 'claims' : 'typ'} it is most likely ${tokenType === 'ID token' ? 'an ID token' : `a ${tokenType.charAt(0).toLowerCase()}${tokenType.slice(1)}`}` : ''}.`;
  return {
    kind: 'jwt',
    tokenType,
    summary,
    header,
    claims,
    headerFields: describeHeader(header),
    claimFields: describeClaims(claims, now),
    checkedAt: now,
    verification: await verify(token, header, claims, request, opts),
  };
}

async function verify(token: string, header: Record<string, unknown>, claims: Record<string, unknown>, request: InspectRequest, opts: InspectOptions): Promise<Verification> {
  const claimChecks = [checkExpiry(claims, opts.now), checkNotBefore(claims, opts.now), checkAudience(claims, request.audience)].filter((c): c is TokenCheck => c !== null);
  const algorithm = checkAlgorithmHeader(header);

  if (!request.key) {
    const checks = algorithm ? [algorithm, ...claimChecks] : claimChecks;
    const problem = checks.find((c) => !c.ok);
    if (algorithm && header.alg === 'none') return { status: 'failed', reason: algorithm.detail, keySource: null, checks };
    return {
      status: 'skipped',
      reason: `Signature not checked: no key was chosen, so the claims are shown as decoded and cannot be trusted.${problem ? ` Also: ${problem.detail}` : ''}`,
      keySource: null,
      checks,
    };
  }

  const checks: TokenCheck[] = [];
  let keySource: string | null = null;
  if (algorithm) {
    checks.push(algorithm);
  } else {
    let material: KeyMaterialResult;
    if (request.key.source === 'discovery') {
      const found = await discoverJwks(claims.iss, { timeoutMs: opts.discoveryTimeoutMs ?? 5000, fetch: opts.fetch });
      if (found.ok) {
        checks.push({ id: 'discovery', name: 'Issuer discovery', ok: true, detail: `Keys from ${found.jwksUri}, found through ${found.configUrl}.` });
        material = keysFromJson(found.jwks, `the issuer’s JWKS`);
        if (!material.ok) material = { ok: false, detail: `${found.jwksUri}: ${material.detail}` };
        keySource = `the issuer’s JWKS at ${found.jwksUri}`;
      } else {
        checks.push({ id: 'discovery', name: 'Issuer discovery', ok: false, detail: found.detail });
        material = { ok: false, detail: '' };
      }
    } else if (request.key.source === 'jwks') {
      material = keysFromJwksText(request.key.jwks);
    } else if (request.key.source === 'jwk') {
      material = keyFromJwkText(request.key.jwk);
    } else {
      material = keyFromPem(request.key.pem, request.key.alg);
    }
    if (material.ok) {
      keySource ??= material.material.label;
      checks.push(...(await verifySignature(token, header, material.material)));
    } else if (material.detail) {
      checks.push({ id: 'key', name: 'Key', ok: false, detail: material.detail });
    }
  }
  checks.push(...claimChecks);

  const failed = checks.find((c) => !c.ok);
  if (failed) return { status: 'failed', reason: failed.detail, keySource, checks };
  return {
    status: 'verified',
    reason: `Verified: the ${String(header.alg)} signature matches ${keySource ?? 'the key'}${claimChecks.length ? ` and ${claimChecks.map((c) => c.name.replace(/ \(.*\)$/, '').toLowerCase()).join(', ')} passed` : ''}.`,
    keySource,
    checks,
  };
}

/** A best guess, for people, from the header `typ` (RFC 9068, OpenID Back-Channel Logout) and the claims. */
function guessTokenType(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
  if (header.alg === 'none') return 'Unsecured JWT';
  if (/^(application\/)?at\+jwt$/.test(typ)) return 'Access token (RFC 9068)';
  if (/^(application\/)?logout\+jwt$/.test(typ) || (typeof claims.events === 'object' && claims.events !== null)) return 'Logout token';
  if ('nonce' in claims || 'at_hash' in claims || 'c_hash' in claims || 'auth_time' in claims) return 'ID token';
  if ('scope' in claims || 'scp' in claims || 'client_id' in claims) return 'Access token';
  return 'JWT';
}
