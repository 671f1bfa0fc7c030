import type { TokenField } from '@shared/contract/inspect';
import { numericDateToMs, relativeTime } from '@shared/relative-time';

/** A registered claim: a short label and one plain-English sentence on what it means. */
interface ClaimInfo {
  label: string;
  explain: string | ((value: unknown) => string);
  /** A NumericDate (seconds since the epoch). */
  time?: boolean;
}

const yesNo = (v: unknown, yes: string, no: string): string =>
  v === true ? yes : v === false ? no : `${yes} (value is not a boolean)`;

/**
 * Claims from RFC 7519 §4.1 (JWT), OpenID Connect Core §2 and §5.1 (ID token and standard claims),
 * RFC 9068 (JWT access tokens), RFC 8693 (act), RFC 7800 (cnf), and the few vendor claims support
 * staff meet every day (Entra ID, Okta).
 */
export const CLAIMS: Readonly<Record<string, ClaimInfo>> = {
  iss: {
    label: 'Issuer',
    explain: 'Who issued the token: the identity provider’s issuer URL. Its keys verify the signature.',
  },
  sub: { label: 'Subject', explain: 'The user (or client) the token is about: a stable ID, unique within the issuer.' },
  aud: {
    label: 'Audience',
    explain: (v) =>
      Array.isArray(v)
        ? `The ${v.length} parties this token is meant for; a client must refuse a token that does not name it.`
        : 'Who this token is meant for (for an ID token: the client ID); a client must refuse a token that does not name it.',
  },
  exp: { label: 'Expires', explain: 'After this time the token must be refused.', time: true },
  nbf: { label: 'Not before', explain: 'Before this time the token must be refused.', time: true },
  iat: { label: 'Issued at', explain: 'When the issuer created this token.', time: true },
  jti: { label: 'Token ID', explain: 'A unique ID for this token, used to detect replays.' },
  auth_time: {
    label: 'Authenticated at',
    explain: 'When the user last actually signed in at the identity provider (may be long before iat).',
    time: true,
  },
  nonce: {
    label: 'Nonce',
    explain:
      'A random value the client sent in the login request; the client checks it matches to stop replayed ID tokens.',
  },
  acr: {
    label: 'Authentication context',
    explain: 'How strongly the user was authenticated, as an issuer-defined level (e.g. an MFA policy).',
  },
  amr: {
    label: 'Authentication methods',
    explain:
      'How the user proved who they are (RFC 8176: pwd = password, otp = one-time code, ' +
      'mfa = multi-factor, hwk = hardware key, sms, face, fpt…).',
  },
  azp: {
    label: 'Authorized party',
    explain: 'The client the token was issued to, when the audience lists several parties.',
  },
  at_hash: {
    label: 'Access token hash',
    explain: 'Half of a hash of the access token issued alongside; ties that access token to this ID token.',
  },
  c_hash: { label: 'Code hash', explain: 'Half of a hash of the authorization code issued alongside (hybrid flow).' },
  s_hash: { label: 'State hash', explain: 'Half of a hash of the state value sent in the login request.' },
  sid: { label: 'Session ID', explain: 'The identity provider’s session this login belongs to; used for logout.' },
  email: { label: 'Email', explain: 'The user’s email address as the identity provider knows it.' },
  email_verified: {
    label: 'Email verified',
    explain: (v) =>
      yesNo(
        v,
        'The identity provider says it has verified that the user owns this email address.',
        'The identity provider has NOT verified this email address; do not trust it to identify the user.',
      ),
  },
  name: { label: 'Name', explain: 'The user’s full display name.' },
  given_name: { label: 'Given name', explain: 'The user’s first name.' },
  family_name: { label: 'Family name', explain: 'The user’s last name.' },
  middle_name: { label: 'Middle name', explain: 'The user’s middle name.' },
  nickname: { label: 'Nickname', explain: 'A casual name for the user.' },
  preferred_username: {
    label: 'Preferred username',
    explain: 'The name the user likes to be called by; not unique and not stable, never use it as an ID.',
  },
  profile: { label: 'Profile page', explain: 'URL of the user’s profile page.' },
  picture: { label: 'Picture', explain: 'URL of the user’s profile picture.' },
  website: { label: 'Website', explain: 'URL of the user’s web page or blog.' },
  gender: { label: 'Gender', explain: 'The user’s gender.' },
  birthdate: { label: 'Birth date', explain: 'The user’s birthday (YYYY-MM-DD, or YYYY).' },
  zoneinfo: { label: 'Time zone', explain: 'The user’s time zone (e.g. Europe/Paris).' },
  locale: { label: 'Locale', explain: 'The user’s language and region (e.g. en-US).' },
  phone_number: { label: 'Phone number', explain: 'The user’s phone number.' },
  phone_number_verified: {
    label: 'Phone verified',
    explain: (v) =>
      yesNo(
        v,
        'The identity provider says it has verified this phone number.',
        'The identity provider has NOT verified this phone number.',
      ),
  },
  address: { label: 'Address', explain: 'The user’s postal address.' },
  updated_at: { label: 'Profile updated', explain: 'When the user’s profile information last changed.', time: true },
  scope: { label: 'Scope', explain: 'The permissions granted to the client, separated by spaces.' },
  scp: { label: 'Scopes', explain: 'The permissions granted to the client (Entra ID / Okta spelling of scope).' },
  client_id: { label: 'Client ID', explain: 'The client the access token was issued to (RFC 9068).' },
  cid: { label: 'Client ID', explain: 'The client the access token was issued to (Okta).' },
  uid: { label: 'User ID', explain: 'The user’s ID at the identity provider (Okta).' },
  roles: { label: 'Roles', explain: 'Roles the user holds, as the issuer names them.' },
  groups: { label: 'Groups', explain: 'Groups the user belongs to, as the issuer names them.' },
  entitlements: { label: 'Entitlements', explain: 'Individual entitlements of the user (RFC 9068).' },
  act: { label: 'Actor', explain: 'Someone acting on behalf of the subject (token exchange, RFC 8693).' },
  may_act: { label: 'May act', explain: 'Who is allowed to act on behalf of the subject (RFC 8693).' },
  cnf: {
    label: 'Confirmation',
    explain: 'The key the presenter must prove it holds (sender-constrained token, RFC 7800).',
  },
  tid: { label: 'Tenant ID', explain: 'The Microsoft Entra ID tenant that signed the user in.' },
  oid: { label: 'Object ID', explain: 'The user’s immutable ID in Microsoft Entra ID.' },
  upn: {
    label: 'User principal name',
    explain: 'The user’s sign-in name in Microsoft Entra ID; it can change, do not use it as an ID.',
  },
  ver: { label: 'Version', explain: 'The token format version of the issuer.' },
};

/** Display text for a claim or header value: strings as they are, everything else as JSON. */
export const displayValue = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

/** A NumericDate claim value as ISO and relative text; null when it is not a usable number. */
export function timeInfo(seconds: unknown, now: number): TokenField['time'] {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  const epochMs = numericDateToMs(seconds);
  if (Math.abs(epochMs) > 8.64e15) return null;
  const date = new Date(epochMs);
  if (Number.isNaN(date.getTime())) return null;
  return { epochMs, iso: date.toISOString(), relative: relativeTime(epochMs, now) };
}

/** Every claim of a payload, registered ones explained, in the order the token has them. */
export function describeClaims(claims: Record<string, unknown>, now: number): TokenField[] {
  return Object.entries(claims).map(([name, value]) => {
    const info = Object.hasOwn(CLAIMS, name) ? CLAIMS[name] : undefined;
    const time = info?.time ? timeInfo(value, now) : null;
    let explanation = info
      ? typeof info.explain === 'function'
        ? info.explain(value)
        : info.explain
      : 'Not a registered claim: its meaning is set by the issuer.';
    if (info?.time && !time) explanation += ' (The value is not a number of seconds, so it cannot be read as a time.)';
    return {
      name,
      label: info?.label ?? name,
      value: displayValue(value),
      explanation,
      standard: info !== undefined,
      time,
    };
  });
}
