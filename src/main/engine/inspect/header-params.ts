import type { TokenField } from '@shared/contract/inspect';
import { ALGORITHMS } from './algorithms';
import { displayValue } from './claims';

/** JOSE header parameters (RFC 7515 §4.1, RFC 7516 §4.1, RFC 7797) with one sentence each. */
const HEADER_PARAMS: Readonly<Record<string, { label: string; explain: (v: unknown) => string }>> = {
  alg: {
    label: 'Algorithm',
    explain: (v) =>
      v === 'none'
        ? 'none: the token is not signed at all. Anyone could have written it; it must be refused.'
        : typeof v === 'string' && ALGORITHMS[v]
          ? `How the token is signed: ${v}, which is verified with ${ALGORITHMS[v]!.label}.`
          : 'How the token is signed or its key is encrypted.',
  },
  typ: {
    label: 'Type',
    explain: (v) =>
      typeof v === 'string' && /^(application\/)?at\+jwt$/i.test(v)
        ? 'at+jwt: a JWT access token (RFC 9068), meant for an API, not for the client to read.'
        : 'The media type of the whole token (usually JWT).',
  },
  kid: {
    label: 'Key ID',
    explain: () => 'Which of the issuer’s keys signed it: the verifier looks this ID up in the JWKS.',
  },
  cty: {
    label: 'Content type',
    explain: () => 'The media type of the payload (JWT when a token is nested inside another).',
  },
  enc: { label: 'Content encryption', explain: () => 'How the payload is encrypted (JWE).' },
  zip: { label: 'Compression', explain: () => 'The payload was compressed before encryption.' },
  jku: {
    label: 'JWKS URL',
    explain: () => 'A URL to fetch keys from. Never trust it blindly: anyone can point it at their own keys.',
  },
  jwk: {
    label: 'Embedded key',
    explain: () => 'A public key carried in the token itself; proves nothing unless you already trust that key.',
  },
  x5u: { label: 'Certificate URL', explain: () => 'A URL of the signing certificate chain.' },
  x5c: { label: 'Certificate chain', explain: () => 'The signing certificate chain, carried in the token.' },
  x5t: {
    label: 'Certificate thumbprint',
    explain: () => 'SHA-1 thumbprint of the signing certificate (identifies the key like kid).',
  },
  'x5t#S256': {
    label: 'Certificate thumbprint (SHA-256)',
    explain: () => 'SHA-256 thumbprint of the signing certificate.',
  },
  crit: { label: 'Critical', explain: () => 'Header extensions the verifier must understand, or refuse the token.' },
  b64: { label: 'Base64 payload', explain: () => 'Whether the payload is base64url-encoded (RFC 7797).' },
  epk: { label: 'Ephemeral key', explain: () => 'The sender’s one-time public key for key agreement (JWE).' },
};

/** Every header parameter, registered ones explained. */
export function describeHeader(header: Record<string, unknown>): TokenField[] {
  return Object.entries(header).map(([name, value]) => {
    const info = Object.hasOwn(HEADER_PARAMS, name) ? HEADER_PARAMS[name] : undefined;
    return {
      name,
      label: info?.label ?? name,
      value: displayValue(value),
      explanation: info ? info.explain(value) : 'Not a registered header parameter: its meaning is set by the issuer.',
      standard: info !== undefined,
      time: null,
    };
  });
}
