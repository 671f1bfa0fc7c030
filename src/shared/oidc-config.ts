/**
 * Validation of an OIDC configuration before it is saved, shared by the Settings form (to mark each
 * field as the admin types) and the engine (which refuses the save). Pure TypeScript.
 */
import { buildPresetIssuer } from './oidc-presets';

export interface OidcDraft {
  preset: string;
  presetParams: Readonly<Record<string, string>>;
  issuer: string;
  clientId: string;
  scopes: readonly string[];
  /** Absent = keep what is stored (or the default). */
  redirectPort?: number | null | undefined;
  userClaim?: string | undefined;
}

export interface FieldProblem {
  /** The input path: `issuer`, `clientId`, `scopes`, `presetParams.domain`. */
  field: string;
  message: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for a host name that never leaves the machine (RFC 8252 §8.3). */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname.toLowerCase());

/**
 * Checks an issuer identifier: an https URL without query or fragment (OpenID Connect Discovery 1.0
 * §2; RFC 8414 §2), or http on a loopback host (for the embedded IdP and local test IdPs).
 */
export function checkIssuer(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'not a URL; expected something like https://idp.example.com';
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname))
      return `http is allowed only on loopback (127.0.0.1, localhost); use https://${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } else if (url.protocol !== 'https:') {
    return `expected an https URL, not ${url.protocol}`;
  }
  if (url.search || url.hash) return 'an issuer has no query string or fragment';
  if (url.username || url.password) return 'an issuer carries no user name or password';
  return null;
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function checkScopes(scopes: readonly string[]): string | null {
  if (!scopes.includes('openid')) return 'must include "openid": without it the IdP returns no ID token';
  const bad = scopes.find((s) => !SCOPE_TOKEN.test(s));
  if (bad !== undefined) return `"${bad}" is not a valid scope (no spaces, quotes or backslashes)`;
  return null;
}

/** The fixed redirect ports an admin may choose: unprivileged, so SSO Desk can bind them without rights. */
export const REDIRECT_PORT_MIN = 1024;
export const REDIRECT_PORT_MAX = 65535;

/** A fixed redirect port must be an integer in 1024–65535; null means any port (RFC 8252 §7.3). */
export function checkRedirectPort(port: number | null | undefined): string | null {
  if (port === null || port === undefined) return null;
  if (!Number.isInteger(port) || port < REDIRECT_PORT_MIN || port > REDIRECT_PORT_MAX) {
    return (
      `a fixed port must be a whole number from ${REDIRECT_PORT_MIN} to ${REDIRECT_PORT_MAX} ` +
      `(got ${String(port)}); or choose "any port"`
    );
  }
  return null;
}

// A JSON member name as IdPs use them for claims: no spaces, no control characters.
const CLAIM_NAME = /^[\x21-\x7E]{1,100}$/;

/** The claim that identifies the user: `email`, `preferred_username`, `upn` or any claim name. */
export function checkUserClaim(claim: string | undefined): string | null {
  if (claim === undefined) return null;
  if (!CLAIM_NAME.test(claim)) return 'expected a claim name such as email, preferred_username or upn (no spaces)';
  return null;
}

/** Splits a scope field as typed ("openid email, profile") into tokens, without duplicates. */
export const parseScopes = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/**
 * Every problem of a draft, each naming its field; an empty list means the draft can be saved (the
 * plan and package checks need the account and are the engine's). With a preset, the issuer is the
 * one built from the preset's values, so those values are checked instead of the issuer field.
 */
export function validateOidcDraft(d: OidcDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (d.preset !== 'generic') {
    const built = buildPresetIssuer(d.preset, d.presetParams);
    if (!built.ok) {
      for (const e of built.errors)
        problems.push({ field: e.key === 'preset' ? 'preset' : `presetParams.${e.key}`, message: e.message });
    }
  }
  if (d.preset === 'generic' || problems.length === 0) {
    const issuerProblem = d.issuer.trim() === '' ? 'required: the IdP URL (issuer)' : checkIssuer(d.issuer.trim());
    if (issuerProblem) problems.push({ field: 'issuer', message: issuerProblem });
  }
  if (d.clientId.trim() === '')
    problems.push({ field: 'clientId', message: 'required: the Client ID the IdP gave this app' });
  else if (/[^\x20-\x7E]/.test(d.clientId))
    problems.push({ field: 'clientId', message: 'only printable ASCII characters are allowed' });
  const scopeProblem = checkScopes(d.scopes);
  if (scopeProblem) problems.push({ field: 'scopes', message: scopeProblem });
  const portProblem = checkRedirectPort(d.redirectPort);
  if (portProblem) problems.push({ field: 'redirectPort', message: portProblem });
  const claimProblem = checkUserClaim(d.userClaim);
  if (claimProblem) problems.push({ field: 'userClaim', message: claimProblem });
  return problems;
}

/**
 * The standard scope that releases a claim (OpenID Connect Core 1.0 §5.4): an IdP that releases claims
 * by scope sends `email` only when the `email` scope was asked for. Unknown claims have none.
 */
export const CLAIM_SCOPE: Readonly<Record<string, string>> = {
  email: 'email',
  email_verified: 'email',
  preferred_username: 'profile',
  name: 'profile',
  given_name: 'profile',
  family_name: 'profile',
  nickname: 'profile',
  phone_number: 'phone',
};

/**
 * A warning (not a refusal) when the claim that identifies the user usually comes with a scope that
 * is not requested (issue 26 §6); null when it is requested or the claim has no standard scope.
 */
export function claimScopeWarning(userClaim: string, scopes: readonly string[]): string | null {
  const scope = CLAIM_SCOPE[userClaim.trim() || 'email'];
  if (!scope || scopes.includes(scope)) return null;
  return (
    `the claim '${userClaim.trim() || 'email'}' usually comes only with the scope '${scope}', ` +
    `which Scopes does not ask for: IdPs that release claims by scope will not send it ` +
    `— add ${scope} to Scopes`
  );
}
