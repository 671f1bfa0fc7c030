import { z } from 'zod';
import { channel } from './channel';
import { DiagnoseInput, Diagnosis } from './diagnose';
import { InspectSamlInput, SamlInspection } from './saml';

/** Public-key JWS algorithms a pasted PEM may be pinned to (RFC 7518 §3.1, RFC 8037). */
export const PEM_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** Upper bound of a pasted token: ID tokens with many groups reach a few KiB; 64 KiB is generous. */
export const MAX_TOKEN_CHARS = 64 * 1024;

/** Where the verification key comes from. Omitted: decode only, do not verify. */
export const KeySource = z.discriminatedUnion('source', [
  // From the token's `iss`: `${iss}/.well-known/openid-configuration`, then its `jwks_uri`.
  z.strictObject({ source: z.literal('discovery') }),
  // A JWK Set (several keys are fine) or a single JWK, as pasted JSON text.
  z.strictObject({
    source: z.literal('jwks'),
    jwks: z
      .string()
      .min(1)
      .max(512 * 1024),
  }),
  // An SPKI public key (BEGIN PUBLIC KEY) or an X.509 certificate (BEGIN CERTIFICATE).
  z.strictObject({
    source: z.literal('pem'),
    pem: z
      .string()
      .min(1)
      .max(64 * 1024),
    alg: z.enum(PEM_ALGORITHMS).optional(),
  }),
  // A single JWK as JSON text: public key, or a shared secret (kty "oct") for HS256/384/512.
  z.strictObject({
    source: z.literal('jwk'),
    jwk: z
      .string()
      .min(1)
      .max(64 * 1024),
  }),
]);
export type KeySource = z.infer<typeof KeySource>;

export const InspectTokenInput = z.strictObject({
  token: z.string().min(1, 'paste a token').max(MAX_TOKEN_CHARS, `a token is at most ${MAX_TOKEN_CHARS} characters`),
  key: KeySource.optional(),
  audience: z.string().max(2048).optional(),
  /** Epoch milliseconds to check times against (tests, "what did it look like then"); default: now. */
  now: z.number().int().nonnegative().optional(),
});
export type InspectTokenInput = z.input<typeof InspectTokenInput>;

export const TimeInfo = z.object({
  epochMs: z.number(),
  iso: z.string(),
  /** Relative to `checkedAt`; the console recomputes it live with `relativeTime` from shared/relative-time. */
  relative: z.string(),
});

/** One header parameter or claim, with what it means in a sentence. */
export const TokenField = z.object({
  name: z.string(),
  label: z.string(),
  /** The value as display text (strings as-is, everything else as JSON). */
  value: z.string(),
  explanation: z.string(),
  /** Registered in an RFC or OpenID spec (false: issuer-specific). */
  standard: z.boolean(),
  time: TimeInfo.nullable(),
});
export type TokenField = z.infer<typeof TokenField>;

export const TokenCheck = z.object({ id: z.string(), name: z.string(), ok: z.boolean(), detail: z.string() });
export type TokenCheck = z.infer<typeof TokenCheck>;

export const Verification = z.object({
  status: z.enum(['verified', 'failed', 'skipped']),
  /** One sentence: why it failed, what was verified, or why nothing was. */
  reason: z.string(),
  /** Where the key came from, in words (never the key itself). */
  keySource: z.string().nullable(),
  checks: z.array(TokenCheck),
});
export type Verification = z.infer<typeof Verification>;

export const TokenInspection = z.object({
  /** jwt: a JWS whose payload is a JSON claims set; jws: a JWS with any other payload (shown as text). */
  kind: z.enum(['jwt', 'jws', 'jwe', 'opaque']),
  /** What this looks like: "ID token", "Access token (RFC 9068)", "Unsecured JWT"… or null. */
  tokenType: z.string().nullable(),
  summary: z.string(),
  header: z.record(z.string(), z.unknown()).nullable(),
  claims: z.record(z.string(), z.unknown()).nullable(),
  /** A JWS payload that is not a JSON object, as text (RFC 7515 signs any octets); null otherwise. */
  payloadText: z.string().nullable(),
  /** A JWS with no signature part while alg is not none: most likely cut off when it was copied. */
  signatureMissing: z.boolean(),
  headerFields: z.array(TokenField),
  claimFields: z.array(TokenField),
  /** Epoch milliseconds the times were checked against. */
  checkedAt: z.number(),
  verification: Verification,
});
export type TokenInspection = z.infer<typeof TokenInspection>;

export const inspectChannels = {
  token: channel(
    InspectTokenInput,
    TokenInspection,
    'Decode a JWT/JWE/opaque token, explain its claims and verify it against discovery, a JWKS, a PEM or a JWK.',
  ),
  diagnose: channel(
    DiagnoseInput,
    Diagnosis,
    'Read a captured sign-in (HAR, URL, query string, SAML message or token) offline: its exchanges and findings.',
  ),
  saml: channel(
    InspectSamlInput,
    SamlInspection,
    'Decode a SAMLResponse or AuthnRequest, explain its conditions and, with an account, check its signature.',
  ),
};
