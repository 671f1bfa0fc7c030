import { createHash, randomBytes } from 'node:crypto';
import type { Finding, TriedUrl } from '@shared/contract/oidc';
import { readCapped } from '../network/bounded-get';
import type { FetchLike } from '../network/outbound';
import { describeNetworkError } from './fetch-json';

/**
 * Does the IdP know this client ID with this redirect URI? Sends the authorization request a sign-in
 * would send (RFC 6749 §4.1.1, PKCE S256, `prompt=none` where the IdP supports it — OpenID Connect
 * Core §3.1.2.1) without following the redirect, and reads the answer:
 * - a redirect to the redirect URI with `login_required`/`interaction_required`/`consent_required`
 *   (or a code): the IdP accepted both — RFC 6749 §4.1.2.1 forbids redirecting to an unverified URI;
 * - a redirect to the IdP's own login page, or a login form: NOT confirmed — some IdPs show their login
 *   form to anyone not signed in, ignore `prompt=none`, and check the client ID and redirect URI only
 *   after the password ("This application is not known", "Unauthorized URL"); only a Test sign-in tells;
 * - a 4xx, an error page (Entra ID's AADSTS codes, `invalid_client`, `redirect_uri` mismatch), or a
 *   redirect back with `unauthorized_client`/`invalid_client`: refused.
 * No secret is ever sent: the authorization request carries none, and no cookie either.
 */
export interface ProbeResult {
  finding: Finding;
  tried: TriedUrl;
  outcome: 'accepted' | 'refused' | 'unreachable' | 'unclear' | 'unconfirmed';
}

/** What a bare login page leaves open, and what would settle it (issue 26 §2: never a ✓). */
const notConfirmed = (who: string, shown: string): string =>
  `${who} is not confirmed — a Test sign-in will tell: the IdP ${shown}, which some ` +
  `IdPs do for any client, checking the client ID and redirect URI only after the password. ` +
  `A redirect back to the redirect URI with login_required would confirm it; a Test ` +
  `sign-in through the saved settings does`;

const ACCEPTED_ERRORS = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]);
const CLIENT_ERRORS = new Set([
  'unauthorized_client',
  'invalid_client',
  'invalid_redirect_uri',
  'redirect_uri_mismatch',
]);
const PAGE_LIMIT = 64 * 1024;

/** Words an IdP's error page uses when it refuses a client or a redirect URI. */
const ERROR_PAGE = new RegExp(
  [
    'AADSTS\\d{5,}',
    'invalid_client',
    'unauthorized_client',
    'invalid_redirect_uri',
    'redirect_uri_mismatch',
    'invalid parameter: redirect_uri',
    'redirect_uri.{0,40}(not|mismatch|invalid)',
    'client.{0,20}(not found|unknown|invalid)',
  ].join('|'),
  'i',
);
const LOGIN_FORM = /type=["']?password|<form\b|name=["']?(username|login|email)["']?/i;

export function authorizationProbeUrl(
  authorizationEndpoint: string,
  p: { clientId: string; redirectUri: string; scopes: string[]; promptNone: boolean },
): URL {
  const url = new URL(authorizationEndpoint);
  const verifier = randomBytes(32).toString('base64url');
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', p.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('scope', p.scopes.join(' ') || 'openid');
  url.searchParams.set('state', randomBytes(12).toString('base64url'));
  url.searchParams.set('nonce', randomBytes(12).toString('base64url'));
  url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  if (p.promptNone) url.searchParams.set('prompt', 'none');
  return url;
}

const sameEndpoint = (a: URL, b: URL): boolean =>
  a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;

const clip = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n)}…` : s);

export async function probeAuthorization(
  authorizationEndpoint: string,
  p: {
    clientId: string;
    redirectUri: string;
    scopes: string[];
    promptNone: boolean;
    fetch: FetchLike;
    timeoutMs: number;
    route: string;
  },
): Promise<ProbeResult> {
  const url = authorizationProbeUrl(authorizationEndpoint, p);
  const who = `client ID "${p.clientId}" with redirect URI ${p.redirectUri}`;
  const refusedWords =
    `the IdP refused this client ID with this redirect URI: the client ID is unknown, ` +
    `or the redirect (with its port) is not registered`;
  const tried = (outcome: string): TriedUrl => ({
    what: 'authorization request (client check)',
    method: 'GET',
    url: url.href,
    outcome,
  });
  let res: Response;
  try {
    res = await p.fetch(url.href, {
      redirect: 'manual',
      headers: { accept: 'text/html,application/xhtml+xml' },
      signal: AbortSignal.timeout(p.timeoutMs),
    });
  } catch (error) {
    const why = describeNetworkError(error, url.href, p.timeoutMs);
    return {
      outcome: 'unreachable',
      tried: tried(`no answer: ${why}`),
      finding: {
        check: 'client',
        level: 'error',
        message: `this computer cannot reach the IdP's authorization endpoint (DNS, proxy, TLS) ${p.route}: ${why}`,
      },
    };
  }
  const status = res.status;
  const words: Words = { who, refusedWords, tried };
  if (status >= 300 && status < 400) {
    await res.body?.cancel().catch(() => undefined);
    return redirectVerdict(status, res.headers.get('location'), url, p.redirectUri, words);
  }
  const read = await readCapped(res, PAGE_LIMIT);
  return pageVerdict(status, read.kind === 'ok' ? read.text : '', words);
}

/** The words every verdict of one probe is made of. */
interface Words {
  who: string;
  refusedWords: string;
  tried: (outcome: string) => TriedUrl;
}

/** A redirect: back to the redirect URI (accepted, or refused with an error) or on to a login or error page. */
function redirectVerdict(
  status: number,
  location: string | null,
  url: URL,
  redirectUri: string,
  w: Words,
): ProbeResult {
  const { who, refusedWords, tried } = w;
  if (!location) {
    return {
      outcome: 'unclear',
      tried: tried(`HTTP ${status} without Location`),
      finding: {
        check: 'client',
        level: 'warning',
        message: `the IdP answered HTTP ${status} without saying where to go; the client could not be checked`,
      },
    };
  }
  const to = new URL(location, url);
  const line = `${status} → ${clip(to.href, 200)}`;
  // Some IdPs answer in the fragment (response_mode=fragment): read both.
  const params = new URLSearchParams(to.search);
  for (const [k, v] of new URLSearchParams(to.hash.replace(/^#/, ''))) if (!params.has(k)) params.set(k, v);
  const error = params.get('error');
  const description = params.get('error_description');
  const said = `${error}${description ? ` (${clip(description)})` : ''}`;
  if (sameEndpoint(to, new URL(redirectUri))) {
    if (error && CLIENT_ERRORS.has(error)) {
      return {
        outcome: 'refused',
        tried: tried(line),
        finding: { check: 'client', level: 'error', message: `${refusedWords} — it answered ${said} for ${who}` },
      };
    }
    if (error && ACCEPTED_ERRORS.has(error)) {
      return {
        outcome: 'accepted',
        tried: tried(line),
        finding: {
          check: 'client',
          level: 'ok',
          message:
            `the IdP accepts ${who}: it sent the browser back with ${error}, as it does for a ` +
            `known client when nobody is signed in`,
        },
      };
    }
    if (error) {
      return {
        outcome: 'accepted',
        tried: tried(line),
        finding: {
          check: 'client',
          level: 'error',
          message:
            `the IdP accepts ${who} but refused the request: ${said} — check the scopes and the ` +
            `grant types allowed for this client`,
        },
      };
    }
    return {
      outcome: 'accepted',
      tried: tried(line),
      finding: { check: 'client', level: 'ok', message: `the IdP accepts ${who}: it redirected back to it` },
    };
  }
  if (error) {
    return {
      outcome: 'refused',
      tried: tried(line),
      finding: {
        check: 'client',
        level: 'error',
        message: `${refusedWords} — it sent the browser to an error page (${said})`,
      },
    };
  }
  return {
    outcome: 'unconfirmed',
    tried: tried(line),
    finding: {
      check: 'client',
      level: 'warning',
      message: notConfirmed(who, `sent the browser on to its login page (${clip(`${to.origin}${to.pathname}`)})`),
    },
  };
}

/** A page: an error status, an IdP error page, a login page, or a page SSO Desk cannot read. */
function pageVerdict(status: number, page: string, w: Words): ProbeResult {
  const { who, refusedWords, tried } = w;
  const pageError = ERROR_PAGE.exec(page)?.[0];
  const title = /<title[^>]*>([^<]{1,160})<\/title>/i.exec(page)?.[1]?.trim();
  if (status >= 400 && status < 500) {
    return {
      outcome: 'refused',
      tried: tried(`HTTP ${status}${title ? ` "${title}"` : ''}`),
      finding: {
        check: 'client',
        level: 'error',
        message: `${refusedWords} — HTTP ${status} for ${who}${pageError ? ` (${pageError})` : title ? ` ("${title}")` : ''}`,
      },
    };
  }
  if (status >= 500) {
    return {
      outcome: 'unclear',
      tried: tried(`HTTP ${status}`),
      finding: {
        check: 'client',
        level: 'error',
        message:
          `the IdP failed on the authorization request (HTTP ${status}): the client could not ` +
          `be checked — try again, or ask the IdP's admin`,
      },
    };
  }
  if (pageError) {
    return {
      outcome: 'refused',
      tried: tried(`HTTP ${status}, error page (${pageError})`),
      finding: { check: 'client', level: 'error', message: `${refusedWords} — its page says ${pageError} for ${who}` },
    };
  }
  if (LOGIN_FORM.test(page)) {
    return {
      outcome: 'unconfirmed',
      tried: tried(`HTTP ${status}, a login page`),
      finding: { check: 'client', level: 'warning', message: notConfirmed(who, 'shows its login page') },
    };
  }
  return {
    outcome: 'unclear',
    tried: tried(`HTTP ${status}${title ? ` "${title}"` : ''}`),
    finding: {
      check: 'client',
      level: 'warning',
      message:
        `the IdP answered HTTP ${status} with a page SSO Desk cannot read${title ? ` ("${title}")` : ''}: ` +
        `open the authorization URL in a browser to see whether it accepts ${who}`,
    },
  };
}
