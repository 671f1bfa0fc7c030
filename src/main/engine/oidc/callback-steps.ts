import type * as client from 'openid-client';
import { decodeProtectedHeader } from 'jose';
import type { Db } from '../../store/db';
import { getOidc } from '../../store/sso-config';
import type { Clock } from '../context';
import { normalizeEmail } from '@shared/domain';
import { decide, ssoAccounts, type AccountDecision } from '../policy';
import { relyingPartyConfig } from './client-config';
import { exchangeCode } from './exchange-code';
import { readUserClaim, type ClaimRead } from './user-claim';
import { REDACTED } from './redact';
import { checkCallbackError } from './checks/check-callback-error';
import { checkState } from './checks/check-state';
import { checkEmailVerified } from './checks/check-email-verified';
import { checkEmailRegistered } from './checks/check-email-registered';
import type { Flow } from './flow';

type Tokens = Awaited<ReturnType<typeof client.authorizationCodeGrant>>;

/**
 * What the steps of one callback share: the flow, the redirect, what each step found for the next, and
 * what they need of the engine. The sign-in's callback is the list `CALLBACK_STEPS` below, run in order,
 * the way oidc-provider declares its actions: each step checks one thing (most of them through a
 * `checks/` file) and either refuses, ending the sign-in with a code and a reason, or lets the next run.
 */
export interface Callback {
  flow: Flow;
  url: URL;
  env: { db: Db; clock: Clock };
  config?: client.Configuration;
  tokens?: Tokens;
  tenantNote?: string | undefined;
  claims?: client.IDToken;
  read?: Extract<ClaimRead, { ok: true }>;
  user?: { id: number; email: string };
  /** The accounts the asserted user may enter through this IdP: one signs in, several ask. */
  eligible?: AccountDecision[];
}

/** A step's refusal: the sign-in fails with `code`, shown at `step`. */
export interface Refusal {
  code: string;
  step: string;
  message: string;
}

export type CallbackStep = (c: Callback) => Promise<Refusal | null> | Refusal | null;

/** RFC 6749 §4.1.2.1: an `error` in the redirect is the IdP's refusal, said in its words. */
const idpErrorInRedirect: CallbackStep = ({ flow, url }) => {
  const idpError = checkCallbackError(url.searchParams);
  if (!idpError) return null;
  flow.facts.idpError = url.searchParams.get('error') ?? undefined;
  flow.facts.idpErrorDescription = url.searchParams.get('error_description') ?? undefined;
  return { code: 'idp_error', step: 'callback', message: idpError };
};

/** RFC 6749 §10.12: the redirect carries this sign-in's state. */
const stateMatches: CallbackStep = ({ flow, url }) => {
  const problem = checkState(flow.secrets.state, url.searchParams.get('state'));
  if (problem) return { code: 'state_mismatch', step: 'state', message: problem };
  flow.trace.ok('state', `state ${REDACTED} matches this sign-in`);
  return null;
};

const codePresent: CallbackStep = ({ url }) =>
  url.searchParams.get('code')
    ? null
    : { code: 'no_code', step: 'callback', message: 'the callback carries no authorization code' };

/** RFC 6749 §4.1.3 with RFC 7636: the code and the PKCE verifier for tokens; openid-client checks the ID token. */
const codeExchanged: CallbackStep = async (c) => {
  const { flow, url, env } = c;
  const build = (meta: client.ServerMetadata, fetch: client.CustomFetch) =>
    relyingPartyConfig(meta, flow.rp, { clock: env.clock, fetch, auth: flow.auth });
  c.config = build(flow.meta, flow.fetch);
  const exchanged = await exchangeCode({
    url,
    meta: flow.meta,
    rp: flow.rp,
    match: flow.issuerMatch,
    build,
    fetch: flow.fetch,
    checks: {
      pkceCodeVerifier: flow.secrets.verifier,
      expectedState: flow.secrets.state,
      expectedNonce: flow.secrets.nonce,
    },
    method: flow.auth.method,
    auto: (flow.rp.clientAuth ?? 'auto') === 'auto',
  });
  if (exchanged.ok) {
    c.tokens = exchanged.tokens;
    c.tenantNote = exchanged.tenantNote;
    return null;
  }
  const failed = exchanged.failed;
  if (failed.idpError) {
    flow.facts.idpError = failed.idpError;
    flow.facts.idpErrorDescription = failed.idpErrorDescription;
  }
  flow.facts.clientAuth = flow.auth.method;
  if (failed.step !== 'token exchange')
    flow.trace.ok(
      'token exchange',
      `code ${REDACTED} + PKCE verifier ${REDACTED} sent to ${flow.meta.token_endpoint}; tokens received`,
    );
  return { code: failed.code, step: failed.step, message: failed.message };
};

/** OpenID Connect Core 1.0 §3.1.3.7: what openid-client verified of the ID token, step by step in the trace. */
const idTokenChecked: CallbackStep = (c) => {
  const { flow } = c;
  const tokens = c.tokens!;
  flow.trace.ok(
    'token exchange',
    `code ${REDACTED} + PKCE S256 verifier ${REDACTED} accepted by ${flow.meta.token_endpoint} ` +
      `(${flow.auth.method === 'none' ? 'public client, no secret' : flow.auth.method}); ` +
      `ID token ${REDACTED}${tokens.scope !== undefined ? `; scopes granted: ${tokens.scope || '(none)'}` : ''}`,
  );
  const claims = tokens.claims()!;
  c.claims = claims;
  let header: { alg?: string; kid?: string } = {};
  try {
    header = decodeProtectedHeader(tokens.id_token!);
  } catch {
    // The signature already verified; the header is only for the trace.
  }
  flow.trace.ok(
    'signature',
    `ID token signature verified with ${header.alg ?? 'the IdP’s key'}${header.kid ? ` (kid ${header.kid})` : ''} ` +
      `from ${flow.meta.jwks_uri}`,
  );
  flow.trace.ok('iss', `iss = ${claims.iss}${c.tenantNote ? ` (${c.tenantNote})` : ''}`);
  flow.trace.ok('aud', `aud names this client (${flow.rp.clientId})`);
  flow.trace.ok('exp', `exp ${new Date(claims.exp * 1000).toISOString()} is in the future`);
  flow.trace.ok('nonce', `nonce ${REDACTED} matches this sign-in`);
  return null;
};

/** The claim that identifies the user, from the ID token or else the userinfo endpoint (Core §5.3). */
const userClaimRead: CallbackStep = async (c) => {
  const { flow } = c;
  const read = await readUserClaim({
    claim: flow.userClaim,
    claims: c.claims!,
    tokens: c.tokens!,
    config: c.config!,
    meta: flow.meta,
    trace: flow.trace,
    requested: flow.scopes,
  });
  if (read.ok) {
    c.read = read;
    return null;
  }
  flow.facts.userClaim = flow.userClaim;
  if (read.grantedScopes !== undefined) flow.facts.grantedScopes = read.grantedScopes;
  flow.facts.requestedScopes = flow.scopes.join(' ');
  return { code: 'claim_missing', step: flow.userClaim, message: read.message };
};

/** The asserted identity is a registered user (and, for the email claim, a verified address). */
const userRegistered: CallbackStep = (c) => {
  const { flow, env } = c;
  const read = c.read!;
  const registered = checkEmailRegistered(env.db, read.value);
  if ('problem' in registered) {
    const problem =
      flow.userClaim === 'email' ? registered.problem : `${registered.problem} (from the '${flow.userClaim}' claim)`;
    return { code: 'not_registered', step: flow.userClaim, message: problem };
  }
  if (flow.userClaim === 'email') {
    const verifiedProblem = checkEmailVerified(registered.user.email, read.emailVerified);
    if (verifiedProblem) return { code: 'email_not_verified', step: 'email_verified', message: verifiedProblem };
  }
  const email = registered.user.email;
  const how =
    flow.userClaim !== 'email'
      ? ` (claim '${flow.userClaim}', from the ${read.source})`
      : read.emailVerified === true
        ? ' (verified)'
        : '';
  flow.trace.ok(flow.userClaim === 'email' ? 'email' : 'user', `the IdP asserts ${email}${how}, a registered user`);
  flow.asserted = email;
  c.user = { id: registered.user.id, email };
  if (normalizeEmail(email) !== flow.email) {
    flow.facts.assertedEmail = email;
    flow.trace.warn(
      'user',
      `the IdP signed in ${email}, not ${flow.email} as typed: it may have reused an open ` +
        `session — sign in again with a fresh login to choose the user`,
    );
  }
  return null;
};

/** The accounts the asserted user may enter through this IdP (a test sign-in: its one account), active ones only. */
const accountsAllowed: CallbackStep = (c) => {
  const { flow, env } = c;
  const email = c.user!.email;
  const decided = decide(env.db, email);
  const throughThisIdp = (a: AccountDecision) => flow.accountIds.includes(a.accountId) || sameIdp(env.db, flow, a);
  const eligible = flow.test
    ? (decided.kind === 'decided' ? decided.accounts : []).filter(
        (a) => a.active && a.accountId === flow.test!.accountId,
      )
    : ssoAccounts(decided, 'oidc').filter(throughThisIdp);
  if (eligible.length > 0) {
    c.eligible = eligible;
    return null;
  }
  // Deactivated while the browser was at the IdP: the reason names who did it and when.
  const off = decided.kind === 'decided' ? decided.accounts.filter((a) => !a.active && throughThisIdp(a)) : [];
  if (off.length > 0) return { code: 'deactivated', step: 'accounts', message: off.map((a) => a.reason).join('; ') };
  return {
    code: 'no_sso_account',
    step: 'accounts',
    message: `${email} has no account that signs in through ${flow.rp.issuer}`,
  };
};

/** Whether an account signs in through the flow's IdP: the same issuer and client. */
export function sameIdp(db: Db, flow: Flow, a: { accountId: string }): boolean {
  const c = getOidc(db, a.accountId);
  return c !== undefined && c.issuer === flow.rp.issuer && c.clientId === flow.rp.clientId;
}

/** The callback of a sign-in, in order. */
export const CALLBACK_STEPS: readonly CallbackStep[] = [
  idpErrorInRedirect,
  stateMatches,
  codePresent,
  codeExchanged,
  idTokenChecked,
  userClaimRead,
  userRegistered,
  accountsAllowed,
];
