import * as client from 'openid-client';
import { decodeProtectedHeader } from 'jose';
import type { EngineContext } from '../context';
import { getOidc } from '../../store/sso-config';
import { appendAudit } from '../../store/audit';
import { DeskError, notFound } from '../../../shared/errors';
import type { FlowStatus, SessionView } from '../../../shared/contract/oidc';
import { normalizeEmail } from '../../../shared/domain';
import { decide, ssoAccounts } from '../policy';
import { randomToken } from '../crypto/hash';
import { chooseClientAuth, clientAuthFor, discoverIdp, relyingPartyConfig, type RelyingParty } from './client-config';
import type { IssuerMatch } from '../../../shared/issuer-match';
import type { EffectiveClientAuth } from '../../../shared/domain';
import { explainIdpError, waitingHint } from '../../../shared/idp-errors';
import { registeredRedirectUri } from '../../../shared/oidc-presets';
import { readUserClaim } from './user-claim';
import { exchangeCode } from './exchange-code';
import { startLoopbackListener, type CallbackReply, type LoopbackListener } from './loopback-listener';
import { Trace } from '../trace';
import { FlowSecrets, recordingFetch } from './recording-fetch';
import { REDACTED, redactUrl } from './redact';
import { checkCallbackError } from './checks/check-callback-error';
import { checkState } from './checks/check-state';
import { checkEmailVerified } from './checks/check-email-verified';
import { checkEmailRegistered } from './checks/check-email-registered';
import { openSession } from './sessions';
import { recordTestSignin } from '../../store/sso-enforcement';
import { rowFingerprint } from './enforcement';
import { idpFetch } from '../network/outbound';

export const FLOW_TIMEOUT_MS = 5 * 60 * 1000;

export interface SigninOptions {
  /** How long a flow may stay unfinished (default 5 minutes). */
  flowTimeoutMs?: number;
  /** Bound on each request to the IdP (discovery, token). */
  requestTimeoutMs?: number;
  /** How long a finished flow's trace stays readable by `status`. */
  keepFinishedMs?: number;
  /** Tests put a man in the middle here (tampered tokens); production leaves it unset. */
  fetch?: client.CustomFetch;
}

type FlowState = FlowStatus['state'];

interface Flow {
  id: string;
  email: string;
  rp: RelyingParty;
  accountIds: string[];
  meta: client.ServerMetadata;
  state: FlowState;
  trace: Trace;
  startedAt: number;
  expiresAt: number;
  listener: LoopbackListener | null;
  timer: NodeJS.Timeout | null;
  secrets: { state: string; nonce: string; verifier: string };
  /** Every secret value of this flow so far, scrubbed from each recorded exchange. */
  known: FlowSecrets;
  /** openid-client's fetch for this flow: records each exchange into the trace, redacted. */
  fetch: client.CustomFetch;
  offered: Array<{ id: string; name: string }>;
  /** How the discovered issuer relates to the IdP URL (Entra ID's domain tenants, `{tenantid}` templates). */
  issuerMatch: IssuerMatch;
  /** The client authentication of the token request, and openid-client's function for it. */
  auth: { method: EffectiveClientAuth; clientAuth: client.ClientAuth };
  userClaim: string;
  waitingHint: string;
  /** What the Simulator's sentence needs beyond the error: the IdP's error, the granted scopes, the asserted user. */
  facts: FlowFacts;
  userId: number | null;
  idToken: string | undefined;
  session: SessionView | null;
  error: { code: string; message: string } | null;
  finishedAt: number | null;
  /** The Simulator run that started this flow: its audit event links back to the run. */
  runId?: string | undefined;
  /** A test sign-in (before switching SSO on): the account and the fingerprint of its saved settings. */
  test: { accountId: string; fingerprint: string } | null;
}

/** The details of a flow's outcome the Simulator turns into its sentence (engine-internal, not in the contract). */
export interface FlowFacts {
  idpError?: string;
  idpErrorDescription?: string;
  grantedScopes?: string;
  userClaim?: string;
  clientAuth?: string;
  assertedEmail?: string;
  port?: number;
}

const TERMINAL: ReadonlySet<FlowState> = new Set(['signed_in', 'failed']);

/**
 * "Sign in with SSO" for a desktop app (RFC 8252): the system browser, a one-shot loopback listener,
 * PKCE S256, state and nonce; openid-client checks the code exchange and the ID token. Every step
 * goes into the flow's trace with secrets shown as `••••`.
 */
export class SigninFlows {
  private readonly flows = new Map<string, Flow>();
  private readonly timeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly keepFinishedMs: number;

  constructor(
    private readonly ctx: EngineContext,
    private readonly opts: SigninOptions = {},
  ) {
    this.timeoutMs = opts.flowTimeoutMs ?? FLOW_TIMEOUT_MS;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.keepFinishedMs = opts.keepFinishedMs ?? 15 * 60 * 1000;
  }

  private get db() {
    return this.ctx.store.db;
  }

  /**
   * Starts a flow for an email: picks the IdP of its accounts with SSO on, discovers it, opens the
   * redirect listener and builds the authorization URL (RFC 6749 §4.1.1 with RFC 7636 PKCE and an
   * OpenID Connect nonce). The URL is handed to the platform (Electron: system browser) and returned.
   * Every exchange with the IdP is recorded in the flow's trace (see `recording-fetch.ts`); a caller
   * that passes its own `trace` (the Simulator's run) sees the steps as they are added, the failed
   * discovery included.
   * `freshLogin` asks the IdP for a new login (`prompt=login`, OpenID Connect Core 1.0 §3.1.2.1, and
   * `max_age=1` for IdPs that ignore prompt) instead of reusing its open session. Not `max_age=0`,
   * which Core allows but Glewlwyd 2.7 refuses (`invalid_request`, "max_age invalid": it takes only
   * values above 0); one second has the same effect on a session opened before this sign-in.
   * @throws DeskError `not_registered` | `sso_not_enabled` | `choose_account` | `idp_unreachable` |
   *   `idp_discovery_failed` | `port_in_use` (a fixed redirect port is taken) | `config_incomplete`.
   */
  async start(
    rawEmail: string,
    accountId?: string,
    opts: { trace?: Trace; freshLogin?: boolean; runId?: string; test?: boolean } = {},
  ) {
    const email = normalizeEmail(rawEmail);
    const now = this.ctx.clock.now();
    const verdict = decide(this.db, email);
    if (verdict.kind === 'not_registered')
      throw new DeskError('not_registered', `${email} is not a registered user`, { field: 'email' });
    const sso = opts.test ? this.testAccounts(verdict, email, accountId) : ssoAccounts(verdict);
    const deactivated = verdict.accounts.filter((a) => !a.active && (!accountId || a.accountId === accountId));
    if (sso.filter((a) => !accountId || a.accountId === accountId).length === 0 && deactivated.length > 0) {
      throw new DeskError('deactivated', deactivated.map((a) => a.reason).join('; '), { field: 'email', status: 403 });
    }
    if (sso.length === 0) {
      const names = verdict.accounts.map((a) => a.accountName).join(', ') || 'no account';
      throw new DeskError('sso_not_enabled', `${email}: SSO is not on for ${names} — sign in with a password`, {
        field: 'email',
      });
    }
    const chosen = accountId ? sso.find((a) => a.accountId === accountId) : sso[0];
    if (!chosen)
      throw new DeskError('sso_not_enabled', `${email}: SSO is not on for account "${accountId}"`, {
        field: 'account',
      });
    const cfg = getOidc(this.db, chosen.accountId)!;
    const sameIdp = sso.filter((a) => {
      const c = getOidc(this.db, a.accountId);
      return c && c.issuer === cfg.issuer && c.clientId === cfg.clientId;
    });
    if (!accountId && sameIdp.length < sso.length) {
      throw new DeskError(
        'choose_account',
        `${email}: the accounts with SSO use different IdPs (${sso.map((a) => `${a.accountName}: ${getOidc(this.db, a.accountId)?.issuer}`).join('; ')}); choose an account`,
        { field: 'account' },
      );
    }
    const jwk = cfg.clientJwks
      ? (JSON.parse(cfg.clientJwks) as { keys: Array<{ alg?: string; kid?: string }> }).keys[0]
      : undefined;
    const rp: RelyingParty = {
      issuer: cfg.issuer,
      clientId: cfg.clientId,
      clientSecret: cfg.clientSecretEnc ? this.ctx.platform.secrets.decrypt(cfg.clientSecretEnc) : null,
      clientAuth: cfg.clientAuth,
      clientKey: cfg.clientKeyEnc
        ? {
            privatePem: this.ctx.platform.secrets.decrypt(cfg.clientKeyEnc),
            alg: jwk?.alg ?? 'RS256',
            kid: jwk?.kid ?? 'sso-desk',
          }
        : null,
    };
    const trace = opts.trace ?? new Trace(() => this.ctx.clock.now());
    trace.ok(
      'policy',
      opts.test
        ? `${email}: test sign-in through the saved settings of ${chosen.accountName} (IdP ${cfg.issuer}); SSO is ${cfg.enabled ? 'on' : 'off'} there`
        : `${email}: SSO is on for ${sameIdp.map((a) => a.accountName).join(', ')} (IdP ${cfg.issuer})`,
    );

    const secrets = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
    };
    const known = new FlowSecrets();
    known.add(rp.clientSecret, secrets.state, secrets.nonce, secrets.verifier);
    // The exchanges are named from the metadata, which only exists once discovery has answered.
    const named: { meta?: client.ServerMetadata } = {};
    const flowFetch = recordingFetch(
      trace,
      known,
      (url) => exchangeName(url, named.meta),
      this.opts.fetch ?? (idpFetch(this.ctx) as client.CustomFetch),
    );

    let meta: client.ServerMetadata;
    let issuerMatch: IssuerMatch;
    try {
      ({ meta, match: issuerMatch } = await discoverIdp(rp, {
        timeoutMs: this.requestTimeoutMs,
        clock: this.ctx.clock,
        fetch: flowFetch,
      }));
    } catch (error) {
      trace.fail('discovery', (error as Error).message);
      this.audit(email, chosen.accountId, 'failed', (error as Error).message, now, undefined, opts.runId);
      throw error;
    }
    named.meta = meta;
    trace.ok(
      'discovery',
      `${cfg.issuer}/.well-known/openid-configuration: authorization ${meta.authorization_endpoint}, token ${meta.token_endpoint}, JWKS ${meta.jwks_uri}`,
    );
    if (issuerMatch.kind === 'tenant_resolved') {
      trace.info(
        'issuer',
        `the IdP URL names the tenant "${issuerMatch.tenant}"; discovery reports the canonical issuer ${issuerMatch.canonical} (tenant ID ${issuerMatch.tenantId}): ID tokens are checked against it. Use it as the IdP URL to make this explicit.`,
      );
    } else if (issuerMatch.kind === 'multi_tenant') {
      trace.info(
        'issuer',
        `"${issuerMatch.tenant}" is multi-tenant: the issuer ${issuerMatch.template} is filled from the ID token’s tid, which must be a tenant GUID, and checked against the signing key’s issuer`,
      );
    }
    const chosenAuth = chooseClientAuth(rp, meta);
    let auth: Flow['auth'];
    try {
      auth = { method: chosenAuth.method, clientAuth: await clientAuthFor(chosenAuth.method, rp, meta) };
    } catch (error) {
      trace.fail('client authentication', (error as Error).message);
      this.audit(email, chosen.accountId, 'failed', (error as Error).message, now);
      throw error;
    }

    const flow: Flow = {
      runId: opts.runId,
      id: randomToken(18),
      email,
      rp,
      accountIds: sameIdp.map((a) => a.accountId),
      meta,
      state: 'waiting',
      trace,
      startedAt: now,
      expiresAt: now + this.timeoutMs,
      listener: null,
      timer: null,
      secrets,
      known,
      fetch: flowFetch,
      offered: [],
      issuerMatch,
      auth,
      userClaim: cfg.userClaim,
      waitingHint: waitingHint(registeredRedirectUri(cfg.redirectHost, cfg.redirectPort), cfg.redirectPort !== null),
      facts: {},
      userId: null,
      idToken: undefined,
      session: null,
      error: null,
      finishedAt: null,
      test: opts.test ? { accountId: chosen.accountId, fingerprint: rowFingerprint(cfg) } : null,
    };
    try {
      flow.listener = await startLoopbackListener({
        host: cfg.redirectHost,
        port: cfg.redirectPort,
        onCallback: (url) => this.onCallback(flow, url),
      });
    } catch (error) {
      trace.fail('listener', (error as Error).message);
      this.audit(email, chosen.accountId, 'failed', (error as Error).message, now);
      throw error;
    }
    trace.ok(
      'listener',
      `one-shot listener on ${flow.listener.redirectUri}${cfg.redirectPort !== null ? ' (the fixed port registered at the IdP)' : ''} (closes after the callback, or after ${Math.round(this.timeoutMs / 1000)} s)`,
    );

    const config = relyingPartyConfig(meta, rp, { clock: this.ctx.clock, fetch: flowFetch, auth });
    const fresh: Record<string, string> = opts.freshLogin ? { prompt: 'login', max_age: '1' } : {};
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      ...fresh,
      redirect_uri: flow.listener.redirectUri,
      scope: cfg.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(flow.secrets.verifier),
      code_challenge_method: 'S256',
      state: flow.secrets.state,
      nonce: flow.secrets.nonce,
      login_hint: email,
    });
    trace.info(
      'authorize',
      `hand-off to the ${this.ctx.platform.kind === 'electron' ? 'system browser' : 'console (new tab)'}: ${redactUrl(authorizationUrl)} — PKCE S256, state ${REDACTED}, nonce ${REDACTED}, ${auth.method === 'none' ? 'public client (no client_secret)' : 'confidential client'}; token endpoint authentication ${auth.method} (${chosenAuth.why})${opts.freshLogin ? ', fresh login forced (prompt=login, max_age=1)' : ''}`,
    );
    this.flows.set(flow.id, flow);
    flow.timer = setTimeout(() => {
      void this.fail(
        flow,
        'timed_out',
        `timed out: the sign-in was not finished within ${Math.round(this.timeoutMs / 1000)} s; the listener is closed`,
      );
    }, this.timeoutMs);
    flow.timer.unref();
    try {
      await this.ctx.platform.openExternal(authorizationUrl.href);
    } catch (error) {
      trace.warn('authorize', `the system browser did not open (${(error as Error).message}); open the URL by hand`);
    }
    return {
      flowId: flow.id,
      authorizationUrl: authorizationUrl.href,
      openedBy: this.ctx.platform.kind === 'electron' ? ('system-browser' as const) : ('console' as const),
      accounts: sameIdp.map((a) => ({ id: a.accountId, name: a.accountName })),
      expiresAt: flow.expiresAt,
    };
  }

  /** The flow's trace and outcome. @throws DeskError `not_found` for an unknown or forgotten flow. */
  status(flowId: string): FlowStatus {
    return this.view(this.get(flowId));
  }

  /**
   * Finishes a flow waiting on the account picker. Only an offered account is accepted: the IdP
   * proved who the user is; the picker only chooses among accounts that allow that IdP.
   * @throws DeskError `not_found` | `not_picking` | `invalid_input` (field `account`).
   */
  pick(flowId: string, accountId: string): FlowStatus {
    const flow = this.get(flowId);
    if (flow.state !== 'picking')
      throw new DeskError(
        'not_picking',
        `this sign-in is ${flow.state.replace('_', ' ')}, not waiting for an account choice`,
        { status: 409 },
      );
    if (!flow.offered.some((a) => a.id === accountId)) {
      throw new DeskError(
        'invalid_input',
        `account: ${accountId} is not one of the accounts offered (${flow.offered.map((a) => a.id).join(', ')})`,
        { field: 'account' },
      );
    }
    flow.trace.ok('account picker', `the user chose ${flow.offered.find((a) => a.id === accountId)!.name}`);
    this.succeed(flow, accountId);
    return this.view(flow);
  }

  /** Abandons a flow: it fails with "cancelled" and its listener closes. */
  async cancel(flowId: string): Promise<FlowStatus> {
    const flow = this.get(flowId);
    if (!TERMINAL.has(flow.state))
      await this.fail(flow, 'cancelled', 'cancelled: the sign-in was abandoned in SSO Desk; the listener is closed');
    return this.view(flow);
  }

  /** Closes every listener (app shutdown). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.flows.values()].map(async (f) => {
        if (f.timer) clearTimeout(f.timer);
        await f.listener?.close();
      }),
    );
    this.flows.clear();
  }

  /** For tests and the Inspector: whether a flow's listener still accepts connections. */
  listenerOpen(flowId: string): boolean {
    const l = this.get(flowId).listener;
    return l !== null && !l.closed;
  }

  private get(flowId: string): Flow {
    this.prune();
    const flow = this.flows.get(flowId);
    if (!flow) throw notFound('no such sign-in flow (finished flows are forgotten after a while)');
    return flow;
  }

  private prune(): void {
    // Housekeeping runs on real time: a test moving the engine clock must not make traces vanish.
    const now = Date.now();
    for (const [id, f] of this.flows)
      if (f.finishedAt !== null && now - f.finishedAt > this.keepFinishedMs) this.flows.delete(id);
  }

  private view(f: Flow): FlowStatus {
    return {
      flowId: f.id,
      state: f.state,
      email: f.email,
      issuer: f.rp.issuer,
      startedAt: f.startedAt,
      expiresAt: f.expiresAt,
      steps: [...f.trace.steps],
      accounts: f.state === 'picking' ? f.offered : [],
      session: f.session,
      error: f.error,
      waitingHint: f.state === 'waiting' ? f.waitingHint : null,
    };
  }

  /** What the Simulator's sentence needs about a flow's outcome (engine-internal). */
  facts(flowId: string): FlowFacts {
    return { ...this.get(flowId).facts };
  }

  /** The redirect arrived at the loopback listener: check it, exchange the code, check the ID token. */
  private async onCallback(flow: Flow, url: URL): Promise<CallbackReply> {
    if (flow.state !== 'waiting') {
      if (!TERMINAL.has(flow.state)) {
        await this.fail(
          flow,
          'second_callback',
          'a second callback arrived while the first was being handled — the sign-in was ended (possible replay)',
        );
      } else {
        flow.trace.warn('callback', 'a second callback arrived after the sign-in had ended; ignored');
      }
      return {
        status: 409,
        title: 'This sign-in was already handled',
        message: 'SSO Desk already received the answer for this sign-in. Return to the app.',
      };
    }
    flow.state = 'exchanging';
    flow.known.add(url.searchParams.get('code'));
    flow.trace.ok('callback', `redirect received: ${redactUrl(url)}`);
    const idpError = checkCallbackError(url.searchParams);
    if (idpError) {
      flow.facts.idpError = url.searchParams.get('error') ?? undefined;
      flow.facts.idpErrorDescription = url.searchParams.get('error_description') ?? undefined;
      return this.failReply(flow, 'idp_error', 'callback', idpError);
    }
    const stateProblem = checkState(flow.secrets.state, url.searchParams.get('state'));
    if (stateProblem) return this.failReply(flow, 'state_mismatch', 'state', stateProblem);
    flow.trace.ok('state', `state ${REDACTED} matches this sign-in`);
    if (!url.searchParams.get('code'))
      return this.failReply(flow, 'no_code', 'callback', 'the callback carries no authorization code');

    const config = relyingPartyConfig(flow.meta, flow.rp, {
      clock: this.ctx.clock,
      fetch: flow.fetch,
      auth: flow.auth,
    });
    const exchanged = await exchangeCode({
      url,
      meta: flow.meta,
      rp: flow.rp,
      match: flow.issuerMatch,
      build: (meta, fetch) => relyingPartyConfig(meta, flow.rp, { clock: this.ctx.clock, fetch, auth: flow.auth }),
      fetch: flow.fetch,
      checks: {
        pkceCodeVerifier: flow.secrets.verifier,
        expectedState: flow.secrets.state,
        expectedNonce: flow.secrets.nonce,
      },
      method: flow.auth.method,
    });
    if (!exchanged.ok) {
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
      return this.failReply(flow, failed.code, failed.step, failed.message);
    }
    const { tokens } = exchanged;
    if (flow.state !== 'exchanging') return this.endedReply(flow);
    flow.trace.ok(
      'token exchange',
      `code ${REDACTED} + PKCE S256 verifier ${REDACTED} accepted by ${flow.meta.token_endpoint} (${flow.auth.method === 'none' ? 'public client, no secret' : flow.auth.method}); ID token ${REDACTED}${tokens.scope !== undefined ? `; scopes granted: ${tokens.scope || '(none)'}` : ''}`,
    );
    const claims = tokens.claims()!;
    let header: { alg?: string; kid?: string } = {};
    try {
      header = decodeProtectedHeader(tokens.id_token!);
    } catch {
      // The signature already verified; the header is only for the trace.
    }
    flow.trace.ok(
      'signature',
      `ID token signature verified with ${header.alg ?? 'the IdP’s key'}${header.kid ? ` (kid ${header.kid})` : ''} from ${flow.meta.jwks_uri}`,
    );
    flow.trace.ok('iss', `iss = ${claims.iss}${exchanged.tenantNote ? ` (${exchanged.tenantNote})` : ''}`);
    flow.trace.ok('aud', `aud names this client (${flow.rp.clientId})`);
    flow.trace.ok('exp', `exp ${new Date(claims.exp * 1000).toISOString()} is in the future`);
    flow.trace.ok('nonce', `nonce ${REDACTED} matches this sign-in`);

    const read = await readUserClaim({
      claim: flow.userClaim,
      claims,
      tokens,
      config,
      meta: flow.meta,
      trace: flow.trace,
    });
    if (flow.state !== 'exchanging') return this.endedReply(flow);
    if (!read.ok) {
      flow.facts.userClaim = flow.userClaim;
      if (read.grantedScopes !== undefined) flow.facts.grantedScopes = read.grantedScopes;
      return this.failReply(flow, 'claim_missing', flow.userClaim, read.message);
    }
    const email = read.value;
    const registered = checkEmailRegistered(this.db, email);
    if ('problem' in registered) {
      const problem =
        flow.userClaim === 'email' ? registered.problem : `${registered.problem} (from the '${flow.userClaim}' claim)`;
      return this.failReply(flow, 'not_registered', flow.userClaim, problem);
    }
    if (flow.userClaim === 'email') {
      const verifiedProblem = checkEmailVerified(registered.user.email, read.emailVerified);
      if (verifiedProblem) return this.failReply(flow, 'email_not_verified', 'email_verified', verifiedProblem);
    }
    flow.trace.ok(
      flow.userClaim === 'email' ? 'email' : 'user',
      `the IdP asserts ${registered.user.email}${flow.userClaim !== 'email' ? ` (claim '${flow.userClaim}', from the ${read.source})` : read.emailVerified === true ? ' (verified)' : ''}, a registered user`,
    );
    if (normalizeEmail(registered.user.email) !== flow.email) {
      flow.facts.assertedEmail = registered.user.email;
      flow.trace.warn(
        'user',
        `the IdP signed in ${registered.user.email}, not ${flow.email} as typed: it may have reused an open session — sign in again with a fresh login to choose the user`,
      );
    }

    const decided = decide(this.db, registered.user.email);
    const eligible = flow.test
      ? (decided.kind === 'decided' ? decided.accounts : []).filter(
          (a) => a.active && a.accountId === flow.test!.accountId,
        )
      : ssoAccounts(decided).filter((a) => flow.accountIds.includes(a.accountId) || this.sameIdp(flow, a.accountId));
    if (eligible.length === 0) {
      // Deactivated while the browser was at the IdP: the reason names who did it and when.
      const off = this.deactivatedReasons(registered.user.email, flow);
      if (off) return this.failReply(flow, 'deactivated', 'accounts', off);
      return this.failReply(
        flow,
        'no_sso_account',
        'accounts',
        `${registered.user.email} has no account that signs in through ${flow.rp.issuer}`,
      );
    }
    flow.userId = registered.user.id;
    flow.idToken = tokens.id_token;
    if (eligible.length === 1) {
      this.succeed(flow, eligible[0]!.accountId);
      if (flow.test) {
        return {
          status: 200,
          title: 'Test sign-in worked',
          message: `${registered.user.email} signed in through this IdP with the saved settings of ${eligible[0]!.accountName}. No session was opened. Return to SSO Desk; you can close this tab.`,
        };
      }
      return {
        status: 200,
        title: 'Signed in',
        message: `You are signed in to ${eligible[0]!.accountName} as ${registered.user.email}. Return to SSO Desk; you can close this tab.`,
      };
    }
    flow.offered = eligible.map((a) => ({ id: a.accountId, name: a.accountName }));
    flow.state = 'picking';
    flow.trace.info(
      'account picker',
      `${registered.user.email} may enter ${flow.offered.map((a) => a.name).join(' or ')}: waiting for a choice in SSO Desk`,
    );
    return {
      status: 200,
      title: 'Almost there',
      message: 'Return to SSO Desk to choose the account to enter. You can close this tab.',
    };
  }

  /** The flow ended (timeout, cancel, a second callback) while this callback was being handled. */
  private endedReply(flow: Flow): CallbackReply {
    return {
      status: 409,
      title: 'Sign-in ended',
      message: `${flow.error?.message ?? 'This sign-in has ended'}. Return to SSO Desk.`,
    };
  }

  private deactivatedReasons(email: string, flow: Flow): string | null {
    const verdict = decide(this.db, email);
    if (verdict.kind !== 'decided') return null;
    const off = verdict.accounts.filter(
      (a) => !a.active && (flow.accountIds.includes(a.accountId) || this.sameIdp(flow, a.accountId)),
    );
    return off.length > 0 ? off.map((a) => a.reason).join('; ') : null;
  }

  private sameIdp(flow: Flow, accountId: string): boolean {
    const c = getOidc(this.db, accountId);
    return c !== undefined && c.issuer === flow.rp.issuer && c.clientId === flow.rp.clientId;
  }

  /**
   * A test sign-in goes through one account's saved settings whether SSO is on or not; the email must
   * be an active member there. @throws DeskError `invalid_input` | `not_member` | `sso_not_configured`.
   */
  private testAccounts(verdict: ReturnType<typeof decide>, email: string, accountId: string | undefined) {
    if (!accountId)
      throw new DeskError('invalid_input', 'account: a test sign-in names the account whose settings it tests', {
        field: 'account',
      });
    const a =
      verdict.kind === 'decided' ? verdict.accounts.find((x) => x.accountId === accountId && x.active) : undefined;
    if (!a)
      throw new DeskError('not_member', `${email} is not an active member of account "${accountId}"`, {
        field: 'email',
      });
    const cfg = getOidc(this.db, accountId);
    if (!cfg?.issuer || !cfg.clientId)
      throw new DeskError('sso_not_configured', `${a.accountName} has no saved SSO settings to test: save them first`, {
        field: 'account',
      });
    return [a];
  }

  private succeed(flow: Flow, accountId: string): void {
    const now = this.ctx.clock.now();
    if (flow.test) {
      recordTestSignin(this.db, accountId, { fingerprint: flow.test.fingerprint, at: now, email: flow.email });
      flow.idToken = undefined;
      flow.state = 'signed_in';
      flow.trace.ok('test sign-in', `test sign-in through ${flow.rp.issuer} worked; no session was opened`);
      this.audit(flow.email, accountId, 'ok', `test sign-in through ${flow.rp.issuer}`, now, flow);
      this.finish(flow);
      return;
    }
    flow.session = openSession(this.db, this.ctx.platform.secrets, {
      userId: flow.userId!,
      accountId,
      issuer: flow.rp.issuer,
      idToken: flow.idToken,
      now,
    });
    flow.idToken = undefined;
    flow.state = 'signed_in';
    flow.trace.ok(
      'session',
      `signed in to ${flow.session.accountName} as ${flow.session.email}; session ${REDACTED} until ${new Date(flow.session.expiresAt).toISOString()}`,
    );
    this.audit(flow.session.email, accountId, 'ok', `signed in through ${flow.rp.issuer}`, now, flow);
    this.finish(flow);
  }

  private async failReply(flow: Flow, code: string, step: string, message: string): Promise<CallbackReply> {
    flow.trace.fail(step, message);
    await this.fail(flow, code, message, false);
    return { status: 400, title: 'Sign-in failed', message: `${message}. Return to SSO Desk for the details.` };
  }

  private async fail(flow: Flow, code: string, message: string, record = true): Promise<void> {
    if (TERMINAL.has(flow.state)) return;
    if (record)
      flow.trace.fail(code === 'timed_out' ? 'timeout' : code === 'cancelled' ? 'cancel' : 'callback', message);
    flow.state = 'failed';
    flow.error = { code, message };
    flow.idToken = undefined;
    this.audit(flow.email, flow.accountIds[0] ?? null, 'failed', message, this.ctx.clock.now(), flow);
    this.finish(flow);
    // A listener whose callback is still being answered closes itself once the page is out.
    if (code === 'timed_out' || code === 'cancelled') await flow.listener?.close();
  }

  private finish(flow: Flow): void {
    if (flow.timer) clearTimeout(flow.timer);
    flow.timer = null;
    flow.finishedAt = Date.now();
    flow.expiresAt = Math.min(flow.expiresAt, this.ctx.clock.now());
  }

  private audit(
    email: string,
    accountId: string | null,
    outcome: 'ok' | 'failed',
    reason: string,
    now: number,
    flow?: Flow,
    runId = flow?.runId,
  ): void {
    appendAudit(this.db, {
      at: now,
      kind: 'sso.signin',
      accountId,
      email,
      method: 'sso',
      outcome,
      reason,
      durationMs: flow ? now - flow.startedAt : null,
      // The trace is redacted as it is recorded (secrets read ••••), so the whole of it can be kept.
      detail: flow ? { issuer: flow.rp.issuer, ...signinIds(flow), steps: flow.trace.steps } : undefined,
      ...(runId ? { runId, actor: 'simulator' } : {}),
    });
  }
}

/**
 * What the sign-in logs quote for a flow: SSO Desk's failure code, and
 * the IdP's error code and trace/correlation IDs when it sent them (Entra ID prints them in
 * `error_description`; its token endpoint answers them in JSON, quoted in the failure message).
 */
function signinIds(flow: Flow): Record<string, string> {
  const x = explainIdpError({ error: flow.facts.idpError, error_description: flow.facts.idpErrorDescription });
  const quoted = (label: string) =>
    new RegExp(`${label} ID ([0-9a-f-]{8,})`, 'i').exec(flow.error?.message ?? '')?.[1] ?? null;
  const ids: Record<string, string | null | undefined> = {
    code: flow.error?.code,
    idpError: x.aadsts ?? flow.facts.idpError,
    traceId: x.traceId ?? quoted('trace'),
    correlationId: x.correlationId ?? quoted('correlation'),
  };
  return Object.fromEntries(Object.entries(ids).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** What an exchange with the IdP is for, from its URL and the metadata once discovery has answered. */
function exchangeName(url: string, meta: client.ServerMetadata | undefined): string {
  const bare = url.split('?')[0];
  if (bare!.endsWith('/.well-known/openid-configuration')) return 'discovery document';
  if (meta) {
    if (bare === meta.jwks_uri) return 'JWKS';
    if (bare === meta.token_endpoint) return 'token endpoint';
    if (bare === meta.userinfo_endpoint) return 'userinfo endpoint';
  }
  return 'IdP request';
}
