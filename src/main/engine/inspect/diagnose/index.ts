import type { DiagnoseInput, Diagnosis, Finding } from '@shared/contract/diagnose';
import { MASK } from '@shared/trace';
import type { HarEntryLite, HarScanResult } from '@shared/har-scan';
import { readTokenShape } from '../token-shape';
import { redactedHttp, toExchange } from './exchanges';
import { readText } from './read-text';
import type { AccountSettings, Check, DiagnoseContext, Exchange } from './model';
import { checkRedirectUri } from './check-redirect-uri';
import { checkIdpError } from './check-idp-error';
import { checkState } from './check-state';
import { checkNonce } from './check-nonce';
import { checkPkce } from './check-pkce';
import { checkTokenTimes } from './check-token-times';
import { checkAudience } from './check-audience';
import { checkIssuer } from './check-issuer';
import { checkSignature } from './check-signature';
import { checkClaims } from './check-claims';
import { checkUserAnswers } from './check-user-answers';
import { checkCookies } from './check-cookies';
import { checkLoop } from './check-loop';
import { checkHttpError } from './check-http-error';
import { checkSettings } from './check-settings';

/** The checks in the order a person reads a sign-in: request, answer, token, user, browser. */
const CHECKS: Check[] = [
  checkSettings,
  checkRedirectUri,
  checkIdpError,
  checkPkce,
  checkState,
  checkNonce,
  checkSignature,
  checkIssuer,
  checkAudience,
  checkTokenTimes,
  checkClaims,
  checkUserAnswers,
  checkCookies,
  checkLoop,
];

/** Exchanges that make a capture a sign-in; redirects and errors alone do not. */
const SIGN_IN = new Set<Exchange['kind']>([
  'authorize',
  'callback',
  'token',
  'userinfo',
  'saml_request',
  'saml_response',
  'deep_link',
  'sso_desk_login',
  'pasted',
]);

const SEVERITY: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

/**
 * Reads a captured sign-in and names what went wrong, offline. `entries` (already scanned, e.g. by the
 * `--diagnose` command from a file stream) take the place of `input.text`. Nothing is stored: secrets
 * found in the capture come back only in `secrets` for one-at-a-time reveal, and are masked everywhere
 * else. Never throws on bad input: what could not be read is said in `notes`.
 */
export async function diagnose(
  input: DiagnoseInput,
  opts: {
    accounts: AccountSettings[];
    scanned?: { kind: HarScanResult['kind']; entries: HarEntryLite[]; notes: string[]; total: number };
  },
): Promise<Diagnosis> {
  const read = opts.scanned
    ? {
        source: opts.scanned.kind === 'har' ? ('har' as const) : ('unknown' as const),
        scan: { ...opts.scanned, creator: null },
        token: null,
      }
    : readText(input.text);
  const secrets: Diagnosis['secrets'] = [];
  const byValue = new Map<string, string>();
  const secret = (label: string, value: string): string => {
    const known = byValue.get(value);
    if (known) return known;
    const id = `s${secrets.length + 1}`;
    secrets.push({ id, label, value });
    byValue.set(value, id);
    return id;
  };
  const entries = read.scan.entries;
  const t0 = entries.reduce<number | null>(
    (m, e) => (e.startedMs !== null && (m === null || e.startedMs < m) ? e.startedMs : m),
    null,
  );
  const exchanges: Exchange[] = [];
  for (const e of entries) {
    const ex = toExchange(e, t0, secret);
    if (ex) exchanges.push(ex);
  }
  if (read.token) exchanges.push(pastedToken(read.token, secret));
  // Redact once every secret is known: a code first seen in a callback also travels in a redirect's Location.
  const values = secrets.map((s) => s.value);
  for (const ex of exchanges) if (ex.raw) ex.http = redactedHttp(ex.raw, values);

  const ctx: DiagnoseContext = {
    exchanges,
    accounts: opts.accounts,
    jwks: exchanges.filter((e) => e.kind === 'jwks' && e.json).map((e) => e.json),
    secret,
  };
  const findings: Finding[] = [];
  for (const check of CHECKS) findings.push(...(await check(ctx)));
  // A refused answer already explained by a specific finding is not said twice.
  const explained = new Set(findings.map((f) => f.exchange));
  findings.push(...(await checkHttpError(ctx)).filter((f) => !explained.has(f.exchange)));
  if (!exchanges.some((e) => SIGN_IN.has(e.kind)) && read.scan.kind === 'har' && read.source !== 'unknown')
    findings.push({
      code: 'no_sso_exchange',
      severity: 'warning',
      step: 'capture',
      exchange: null,
      message:
        read.scan.total === 0
          ? 'The capture has no requests at all.'
          : `None of the capture's ${read.scan.total} requests is a sign-in exchange (no authorize ` +
            `request, callback, token call, SAML message or SSO Desk login).`,
      fix:
        'Record the HAR again: open the browser’s developer tools on the Network tab, tick ' +
        '"Preserve log", then sign in from the start and export the HAR once the error shows.',
    });
  findings.sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity]);
  for (const f of findings) {
    const ex = f.exchange !== null ? exchanges[f.exchange] : undefined;
    if (ex && f.severity !== 'info' && ex.outcome === 'ok') ex.outcome = f.severity === 'error' ? 'fail' : 'warn';
  }

  const notes = [...(input.notes ?? []), ...read.scan.notes];
  const total = input.totalEntries ?? read.scan.total;
  const first = findings[0];
  const summary =
    read.source === 'unknown'
      ? (notes[0] ?? 'Nothing to diagnose.')
      : first
        ? `${first.severity === 'error' ? 'Cause' : 'Note'} (${first.code}, at ${first.step}): ${first.message}`
        : `${exchanges.length} sign-in exchanges read${read.source === 'har' ? ` from ${total} requests` : ''}; no problem found.`;
  return {
    source: read.source,
    summary,
    exchanges: exchanges.map(({ raw: _raw, params: _params, tokens: _tokens, json: _json, ...pub }) => pub),
    findings,
    notes,
    totalEntries: total,
    secrets,
  };
}

function pastedToken(token: string, secret: (label: string, value: string) => string): Exchange {
  const shape = readTokenShape(token);
  const claims = shape.kind === 'jws' ? shape.claims : null;
  const name = claims && 'iss' in claims && 'aud' in claims && 'sub' in claims ? 'id_token' : 'access_token';
  return {
    kind: 'pasted',
    step: 'pasted token',
    outcome: 'info',
    detail:
      `A pasted ${shape.kind === 'jwe' ? 'encrypted token (JWE)' : 'token'}; ` +
      'open it in Inspector › Tokens to verify it with a key.',
    atMs: 0,
    entry: null,
    fields: [{ name, value: MASK, secret: secret(name, token) }],
    decoded: shape.kind === 'jws' ? JSON.stringify({ header: shape.header, claims: shape.claims }, null, 2) : null,
    http: null,
    raw: null,
    params: new Map(),
    tokens: [{ name, token }],
    json: null,
  };
}
