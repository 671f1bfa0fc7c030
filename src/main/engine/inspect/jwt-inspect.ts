import type { KeySource, TokenCheck, TokenInspection, Verification } from '@shared/contract/inspect';
import { invalidInput } from '@shared/errors';
import { describeClaims } from './claims';
import { checkAudience } from './check-audience';
import { checkExpiry, checkNotBefore } from './check-times';
import { describeHeader } from './header-params';
import { discoverJwks } from './issuer-discovery';
import type { FetchLike } from '../network/outbound';
import { keyFromJwkText, keyFromPem, keysFromJson, keysFromJwksText, type KeyMaterialResult } from './key-sources';
import { claimsJwt, cleanToken, couldBeOpaqueToken, isDeskDeepLink, readTokenShape } from './token-shape';
import { checkAlgorithmHeader, verifySignature } from './verify-signature';
import { ALGORITHMS } from './algorithms';

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
  'It carries no readable claims: only its issuer can say whom it belongs to and whether ' +
  'it is still valid, through the issuer’s token introspection endpoint (RFC 7662).';

/**
 * Decodes and explains a token and, when a key source is given, verifies it: JWS signature with jose
 * (RFC 7515), then exp, nbf and aud (RFC 7519 §4.1). Opaque tokens and JWEs are recognised and
 * explained, never guessed at. Verification failures are results, not errors; the only error is an
 * empty token (`invalid_input`). Key material is never echoed back.
 * @see https://www.rfc-editor.org/rfc/rfc8725 JWT Best Current Practices (alg none, algorithm confusion)
 *
 * Long because it is the inspector's ordered pipeline (shape, decode, keys, signature, claims), each step a call
 * into its own module; the order is the explanation the screen shows.
 */
export async function inspectToken(request: InspectRequest, opts: InspectOptions): Promise<TokenInspection> {
  const now = opts.now;
  const token = cleanToken(request.token);
  if (!token) throw invalidInput('token', 'paste a token');
  const shape = readTokenShape(token);

  if (shape.kind === 'opaque') {
    const deepLink = isDeskDeepLink(request.token.trim());
    const token_ = couldBeOpaqueToken(token);
    const summary = deepLink
      ? `An SSO Desk deep link (Platform SSO token), not an IdP token: open it in Inspector ` +
        `› Deep links to see whom it signs in, where it lands and whether it is still valid.`
      : token_
        ? `An opaque token (${token.length} characters), not a JWT. ${shape.why} ${OPAQUE_SENTENCE}`
        : `This is not a token: ${
            token.length < 16
              ? `${token.length} characters are too few for one`
              : 'tokens are long random strings of letters, digits and - . _ ~ + /'
          }. ${shape.why} Paste a whole ID token, access token or refresh token.`;
    return {
      kind: 'opaque',
      tokenType: deepLink ? 'SSO Desk deep link' : token_ ? 'Opaque token' : 'Not a token',
      summary,
      header: null,
      claims: null,
      payloadText: null,
      signatureMissing: false,
      headerFields: [],
      claimFields: [],
      checkedAt: now,
      verification: {
        status: 'skipped',
        reason: deepLink
          ? 'Deep links are checked in Inspector › Deep links, against this desk’s own records.'
          : token_
            ? `Opaque tokens cannot be verified here. ${OPAQUE_SENTENCE}`
            : 'Nothing to verify: this is not a token.',
        keySource: null,
        checks: [],
      },
    };
  }

  if (shape.kind === 'jwe') {
    const what = `An encrypted token (JWE, alg ${String(shape.header.alg)}, enc ${String(shape.header.enc)}).`;
    const why =
      'Its claims are encrypted for the recipient and can only be read with the recipient’s ' +
      'private key, which SSO Desk does not take; only the header is shown.';
    return {
      kind: 'jwe',
      tokenType: 'Encrypted token (JWE)',
      summary: `${what} ${why}`,
      header: shape.header,
      claims: null,
      payloadText: null,
      signatureMissing: false,
      headerFields: describeHeader(shape.header),
      claimFields: [],
      checkedAt: now,
      verification: { status: 'skipped', reason: `Not verified: ${why}`, keySource: null, checks: [] },
    };
  }

  const { header, claims, payloadText, signatureMissing } = shape;
  const alg = typeof header.alg === 'string' ? header.alg : '?';
  const common = { header, headerFields: describeHeader(header), checkedAt: now, signatureMissing };

  if (claims === null) {
    // RFC 7515 signs any octets: plain text is shown as text and its signature still verified. Only a
    // header claiming typ JWT promises a JSON object (RFC 7519 §7.2 step 10).
    const typJwt = claimsJwt(header);
    const what = shape.unsecured ? 'An unsecured JWS (alg "none")' : `A signed JWS (${alg})`;
    const summary = shape.truncated
      ? `A JWT cut off in the middle of its payload (truncated): the claims stop after ${payloadText.length} ` +
        `characters and the signature is missing. Copy the whole token again.`
      : signatureMissing
        ? `${what} without its signature part: signature missing — cut off when copied? Its ` +
          `payload is text, not a JSON claims set (${payloadText.length} characters).`
        : `${what} whose payload is text, not a JSON claims set (${payloadText.length} characters)` +
          `${typJwt ? ', although its header says typ JWT' : ''}.`;
    const payloadCheck = typJwt
      ? [
          {
            id: 'payload',
            name: 'JWT claims set',
            ok: false,
            detail:
              `The header says typ "${String(header.typ)}", but the payload is not a JSON object, ` +
              `so it is not a valid JWT (RFC 7519 §7.2).`,
          },
        ]
      : [];
    const verification = signatureMissing
      ? missingSignature(payloadCheck)
      : await verify(token, header, null, request, opts, payloadCheck);
    return {
      kind: 'jws',
      tokenType: shape.truncated ? 'Truncated JWT' : typJwt ? 'Malformed JWT' : 'Signed content (JWS)',
      summary,
      claims: null,
      payloadText,
      claimFields: [],
      ...common,
      verification,
    };
  }

  const tokenType = guessTokenType(header, claims);
  const base = shape.unsecured
    ? 'An unsecured JWT: alg is "none", so it carries no signature and must never be trusted.'
    : `A signed JWT (${alg}) with ${Object.keys(claims).length} claims${
        tokenType !== 'JWT'
          ? `; by its ${header.typ === undefined || header.typ === 'JWT' ? 'claims' : 'typ'} it ` +
            `is most likely ${tokenType === 'ID token' ? 'an ID token' : `a ${tokenType.charAt(0).toLowerCase()}${tokenType.slice(1)}`}`
          : ''
      }.`;
  const summary = signatureMissing
    ? `${base.replace(/\.$/, '')} — but its signature is missing: cut off when copied?`
    : base;
  return {
    kind: 'jwt',
    tokenType,
    summary,
    claims,
    payloadText: null,
    claimFields: describeClaims(claims, now),
    ...common,
    verification: signatureMissing
      ? missingSignature(claimChecksOf(claims, request, now))
      : await verify(token, header, claims, request, opts),
  };
}

const MISSING =
  'Signature missing — cut off when copied? The token has a header and a payload but ' +
  'no signature part: a signed token has three parts separated by dots. Copy the whole token again.';

/** A JWS without its signature: decoded, never verified, and said plainly. */
function missingSignature(other: TokenCheck[]): Verification {
  return {
    status: 'failed',
    reason: MISSING,
    keySource: null,
    checks: [{ id: 'signature', name: 'Signature', ok: false, detail: MISSING }, ...other],
  };
}

function claimChecksOf(claims: Record<string, unknown>, request: InspectRequest, now: number): TokenCheck[] {
  return [checkExpiry(claims, now), checkNotBefore(claims, now), checkAudience(claims, request.audience)].filter(
    (c): c is TokenCheck => c !== null,
  );
}

async function verify(
  token: string,
  header: Record<string, unknown>,
  claims: Record<string, unknown> | null,
  request: InspectRequest,
  opts: InspectOptions,
  payloadChecks: TokenCheck[] = [],
): Promise<Verification> {
  // A payload that is not a claims set has no times or audience to check.
  const claimChecks = [...payloadChecks, ...(claims ? claimChecksOf(claims, request, opts.now) : [])];
  const algorithm = checkAlgorithmHeader(header);

  if (!request.key) {
    const checks = algorithm ? [algorithm, ...claimChecks] : claimChecks;
    const problem = checks.find((c) => !c.ok);
    if (algorithm && header.alg === 'none')
      return { status: 'failed', reason: algorithm.detail, keySource: null, checks };
    return {
      status: 'skipped',
      reason:
        `Signature not checked: no key was chosen, so the claims are shown as decoded and ` +
        `cannot be trusted.${problem ? ` Also: ${problem.detail}` : ''}`,
      keySource: null,
      checks,
    };
  }

  const checks: TokenCheck[] = [];
  let keySource: string | null = null;
  const crit = checkCritical(header);
  if (algorithm) {
    checks.push(algorithm);
  } else if (crit) {
    checks.push(crit);
  } else {
    let material: KeyMaterialResult;
    if (request.key.source === 'discovery' && ALGORITHMS[String(header.alg)]?.secret) {
      // An HMAC token is verified with the shared secret, which no issuer publishes: discovery cannot help.
      checks.push({
        id: 'key',
        name: 'Key',
        ok: false,
        detail:
          `${String(header.alg)} is verified with a shared secret, which an issuer never publishes: ` +
          `paste the secret as a JWK ({"kty":"oct","k":…}) under "Paste PEM or JWK" to verify it.`,
      });
      material = { ok: false, detail: '' };
    } else if (request.key.source === 'discovery') {
      const found = await discoverJwks(claims?.iss, { timeoutMs: opts.discoveryTimeoutMs ?? 5000, fetch: opts.fetch });
      if (found.ok) {
        checks.push({
          id: 'discovery',
          name: 'Issuer discovery',
          ok: true,
          detail: `Keys from ${found.jwksUri}, found through ${found.configUrl}.`,
        });
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
    reason:
      `Verified: the ${String(header.alg)} signature matches ${keySource ?? 'the key'}` +
      `${claimChecks.length ? ` and ${claimChecks.map((c) => c.name.replace(/ \(.*\)$/, '').toLowerCase()).join(', ')} passed` : ''}.`,
    keySource,
    checks,
  };
}

/**
 * `crit` (RFC 7515 §4.1.11): header parameters the recipient must understand or refuse the token.
 * SSO Desk understands no extension, so a token with `crit` is refused, and that is the token's doing:
 * the key is not at fault (jose would report it as an unsupported operation of the key).
 */
function checkCritical(header: Record<string, unknown>): TokenCheck | null {
  if (header.crit === undefined) return null;
  const names = Array.isArray(header.crit) ? header.crit.filter((n): n is string => typeof n === 'string') : [];
  const detail =
    names.length > 0 && Array.isArray(header.crit) && names.length === header.crit.length
      ? `The token marks ${names.map((n) => `"${n}"`).join(', ')} as critical (crit, RFC 7515 ` +
        `§4.1.11); SSO Desk understands none of them, so the token must be refused. The token ` +
        `is at fault, not the chosen key.`
      : 'The token’s crit header is malformed (RFC 7515 §4.1.11: a non-empty list of names); ' +
        'the token must be refused. The token is at fault, not the chosen key.';
  return { id: 'crit', name: 'Critical header parameters (crit)', ok: false, detail };
}

/** A best guess, for people, from the header `typ` (RFC 9068, OpenID Back-Channel Logout) and the claims. */
function guessTokenType(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
  if (header.alg === 'none') return 'Unsecured JWT';
  if (/^(application\/)?at\+jwt$/.test(typ)) return 'Access token (RFC 9068)';
  if (/^(application\/)?logout\+jwt$/.test(typ) || (typeof claims.events === 'object' && claims.events !== null))
    return 'Logout token';
  if ('nonce' in claims || 'at_hash' in claims || 'c_hash' in claims || 'auth_time' in claims) return 'ID token';
  if ('scope' in claims || 'scp' in claims || 'client_id' in claims) return 'Access token';
  return 'JWT';
}
