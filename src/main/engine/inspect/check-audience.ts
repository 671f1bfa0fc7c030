import type { TokenCheck } from '@shared/contract/inspect';

/**
 * `aud` (RFC 7519 §4.1.3, OpenID Connect Core §3.1.3.7 step 3): the token must name the expected
 * audience, as a string or as one member of an array. Checked only when an audience is expected.
 */
export function checkAudience(claims: Record<string, unknown>, expected: string | undefined): TokenCheck | null {
  if (expected === undefined || expected === '') return null;
  const aud = claims.aud;
  const name = 'Audience (aud)';
  const got = Array.isArray(aud)
    ? aud.filter((a): a is string => typeof a === 'string')
    : typeof aud === 'string'
      ? [aud]
      : [];
  if (got.includes(expected)) return { id: 'aud', name, ok: true, detail: `The token is meant for "${expected}".` };
  const gotText = got.length === 0 ? 'no audience' : got.map((a) => `"${a}"`).join(', ');
  return {
    id: 'aud',
    name,
    ok: false,
    detail: `Wrong audience: expected "${expected}", the token is meant for ${gotText}.`,
  };
}
