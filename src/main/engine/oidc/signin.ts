import * as client from 'openid-client';
import type { EngineContext } from '../context';
import { getOidc, type OidcRow } from '../../store/sso-config';
import { appendAudit } from '../../store/audit';
import { DeskError } from '@shared/errors';
import { checkPick, FlowTable, statusOf } from '../flow-table';
import type { FlowStatus } from '@shared/contract/oidc';
import { normalizeEmail } from '@shared/domain';
import { decide, ssoAccounts, type AccountDecision } from '../policy';
import { CALLBACK_STEPS, type Callback } from './callback-steps';
import { TERMINAL, type Flow, type FlowFacts } from './flow';
import { randomToken } from '../crypto/hash';
import { chooseClientAuth, clientAuthFor, discoverIdp, relyingPartyConfig, type RelyingParty } from './client-config';
import type { IssuerMatch } from '@shared/issuer-match';
import { explainIdpError, waitingHint } from '@shared/idp-errors';
import { registeredRedirectUri } from '@shared/oidc-presets';
import { startLoopbackListener, type CallbackReply } from './loopback-listener';
import { Trace } from '../trace';
import { FlowSecrets, recordingFetch } from './recording-fetch';
import { REDACTED, redactUrl } from './redact';
import { openSession } from './sessions';
import { recordTestSignin } from '../../store/sso-enforcement';
import { rowFingerprint } from './enforcement';
import { idpFetch } from '../network/outbound';

export type { FlowFacts };

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

/**
 * "Sign in with SSO" for a desktop app (RFC 8252): the system browser, a one-shot loopback listener,
 * PKCE S256, state and nonce; openid-client checks the code exchange and the ID token. Every step
 * goes into the flow's trace with secrets shown as `••••`.
 */
export class SigninFlows {
  private readonly flows: FlowTable<Flow>;
  private readonly timeoutMs: number;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly ctx: EngineContext,
    private readonly opts: SigninOptions = {},
  ) {
    this.timeoutMs = opts.flowTimeoutMs ?? FLOW_TIMEOUT_MS;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.flows = new FlowTable(opts.keepFinishedMs ?? 15 * 60 * 1000);
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
   *
   * Long because the steps are calls (chooseIdp, relyingParty, newFlow, listen, authorizationUrl) and what remains
   * is the error handling between them, which decides what the trace and the Simulator show.
   */
  async start(
    rawEmail: string,
    accountId?: string,
    opts: {
      trace?: Trace;
      freshLogin?: boolean;
      runId?: string;
      test?: boolean;
      /** With `test`: sign in through these unsaved settings (engine.draftForSignin), not the saved ones. */
      draft?: { row: OidcRow; fingerprint: string };
    } = {},
  ) {
    const email = normalizeEmail(rawEmail);
    const now = this.ctx.clock.now();
    const { chosen, cfg, sameIdp } = this.chooseIdp(
      email,
      accountId,
      opts.test === true,
      opts.test ? opts.draft?.row : undefined,
    );
    const rp = this.relyingParty(cfg);
    const trace = opts.trace ?? new Trace(() => this.ctx.clock.now());
    trace.ok(
      'policy',
      opts.test
        ? `${email}: test sign-in through the ${opts.draft ? 'unsaved' : 'saved'} settings of ` +
            `${chosen.accountName} (IdP ${cfg.issuer}); SSO is ${cfg.enabled ? 'on' : 'off'} there`
        : `${email}: SSO is on for ${sameIdp.map((a) => a.accountName).join(', ')} (IdP ${cfg.issuer})`,
    );
    const failed = (step: string, error: unknown, runId?: string) => {
      trace.fail(step, (error as Error).message);
      this.audit(email, chosen.accountId, 'failed', (error as Error).message, now, undefined, runId);
      return error;
    };

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
    let found: Awaited<ReturnType<typeof discoverIdp>>;
    try {
      found = await discoverIdp(rp, { timeoutMs: this.requestTimeoutMs, clock: this.ctx.clock, fetch: flowFetch });
    } catch (error) {
      throw failed('discovery', error, opts.runId);
    }
    const { meta, match: issuerMatch } = found;
    named.meta = meta;
    traceDiscovery(trace, cfg.issuer, meta, issuerMatch);
    const chosenAuth = chooseClientAuth(rp, meta);
    let auth: Flow['auth'];
    try {
      auth = { method: chosenAuth.method, clientAuth: await clientAuthFor(chosenAuth.method, rp, meta) };
    } catch (error) {
      throw failed('client authentication', error);
    }

    const flow = this.newFlow({
      email,
      rp,
      cfg,
      meta,
      issuerMatch,
      auth,
      trace,
      secrets,
      known,
      fetch: flowFetch,
      now,
    });
    flow.runId = opts.runId;
    flow.accountIds = sameIdp.map((a) => a.accountId);
    if (opts.test)
      flow.test = { accountId: chosen.accountId, fingerprint: opts.draft?.fingerprint ?? rowFingerprint(cfg) };
    try {
      flow.listener = await this.listen(flow, cfg);
    } catch (error) {
      throw failed('listener', error);
    }
    const authorizationUrl = await this.authorizationUrl(flow, cfg, opts.freshLogin === true, chosenAuth.why);
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

  /** A new flow, waiting: the fields every flow starts with. */
  private newFlow(x: {
    email: string;
    rp: RelyingParty;
    cfg: NonNullable<ReturnType<typeof getOidc>>;
    meta: client.ServerMetadata;
    issuerMatch: IssuerMatch;
    auth: Flow['auth'];
    trace: Trace;
    secrets: Flow['secrets'];
    known: FlowSecrets;
    fetch: client.CustomFetch;
    now: number;
  }): Flow {
    const { email, rp, cfg, meta, issuerMatch, auth, trace, secrets, known, now } = x;
    return {
      runId: undefined,
      id: randomToken(18),
      accountIds: [],
      test: null,
      email,
      rp,
      meta,
      state: 'waiting',
      trace,
      startedAt: now,
      expiresAt: now + this.timeoutMs,
      listener: null,
      timer: null,
      secrets,
      known,
      fetch: x.fetch,
      offered: [],
      issuerMatch,
      auth,
      userClaim: cfg.userClaim,
      scopes: cfg.scopes,
      waitingHint: waitingHint(registeredRedirectUri(cfg.redirectHost, cfg.redirectPort), cfg.redirectPort !== null),
      facts: {},
      userId: null,
      asserted: null,
      idToken: undefined,
      session: null,
      error: null,
      finishedAt: null,
    };
  }

  /**
   * The policy step: the accounts of this email with SSO on (a test sign-in: the one named), the chosen
   * one's settings, and the accounts that share its IdP (one sign-in enters any of them).
   */
  private chooseIdp(email: string, accountId: string | undefined, test: boolean, draft?: OidcRow) {
    const verdict = decide(this.db, email);
    if (verdict.kind === 'not_registered')
      throw new DeskError('not_registered', `${email} is not a registered user`, { field: 'email' });
    const sso = test ? this.testAccounts(verdict, email, accountId) : ssoAccounts(verdict, 'oidc');
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
    const cfg = draft ?? getOidc(this.db, chosen.accountId)!;
    // A test through unsaved settings concerns its one account, whatever the others are set up with.
    const sameIdp = sso.filter((a) => {
      if (draft) return true;
      const c = getOidc(this.db, a.accountId);
      return c && c.issuer === cfg.issuer && c.clientId === cfg.clientId;
    });
    if (!accountId && sameIdp.length < sso.length) {
      throw new DeskError(
        'choose_account',
        `${email}: the accounts with SSO use different IdPs (` +
          `${sso.map((a) => `${a.accountName}: ${getOidc(this.db, a.accountId)?.issuer}`).join('; ')}); choose an account`,
        { field: 'account' },
      );
    }
    return { chosen, cfg, sameIdp };
  }

  /** The client as the IdP knows it, its credentials decrypted for this flow only. */
  private relyingParty(cfg: NonNullable<ReturnType<typeof getOidc>>): RelyingParty {
    const jwk = cfg.clientJwks
      ? (JSON.parse(cfg.clientJwks) as { keys: Array<{ alg?: string; kid?: string }> }).keys[0]
      : undefined;
    return {
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
  }

  /**
   * The one-shot loopback listener (RFC 8252 §7.3). A fixed port held by SSO Desk's own unfinished
   * sign-in is taken over: that flow ends, its listener closes.
   */
  private async listen(flow: Flow, cfg: NonNullable<ReturnType<typeof getOidc>>) {
    if (cfg.redirectPort !== null) await this.takeOverPort(cfg.redirectHost, cfg.redirectPort);
    const listener = await startLoopbackListener({
      host: cfg.redirectHost,
      port: cfg.redirectPort,
      onCallback: (url) => this.onCallback(flow, url),
    });
    flow.trace.ok(
      'listener',
      `one-shot listener on ${listener.redirectUri}${cfg.redirectPort !== null ? ' (the fixed port registered at the IdP)' : ''} ` +
        `(closes after the callback, or after ${Math.round(this.timeoutMs / 1000)} s)`,
    );
    return listener;
  }

  /** The authorization request (RFC 6749 §4.1.1, RFC 7636 PKCE S256, an OpenID Connect nonce), traced redacted. */
  private async authorizationUrl(
    flow: Flow,
    cfg: NonNullable<ReturnType<typeof getOidc>>,
    freshLogin: boolean,
    why: string,
  ): Promise<URL> {
    const config = relyingPartyConfig(flow.meta, flow.rp, {
      clock: this.ctx.clock,
      fetch: flow.fetch,
      auth: flow.auth,
    });
    const fresh: Record<string, string> = freshLogin ? { prompt: 'login', max_age: '1' } : {};
    const url = client.buildAuthorizationUrl(config, {
      ...fresh,
      redirect_uri: flow.listener!.redirectUri,
      scope: cfg.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(flow.secrets.verifier),
      code_challenge_method: 'S256',
      state: flow.secrets.state,
      nonce: flow.secrets.nonce,
      login_hint: flow.email,
    });
    flow.trace.info(
      'authorize',
      `hand-off to the ${this.ctx.platform.kind === 'electron' ? 'system browser' : 'console (new tab)'}: ` +
        `${redactUrl(url)} — PKCE S256, state ${REDACTED}, nonce ${REDACTED}, ` +
        `${flow.auth.method === 'none' ? 'public client (no client_secret)' : 'confidential client'}; ` +
        `token endpoint authentication ${flow.auth.method} (${why})${freshLogin ? ', fresh login forced (prompt=login, max_age=1)' : ''}`,
    );
    return url;
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
    flow.trace.ok('account picker', `the user chose ${checkPick(flow, accountId)}`);
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

  /**
   * Ends SSO Desk's own unfinished sign-in that holds this fixed port (issue 26 §4): a new attempt
   * takes the port over instead of waiting out the old one's timeout. Another program's port stays
   * `port_in_use`.
   */
  private async takeOverPort(host: string, port: number): Promise<void> {
    for (const f of this.flows.values()) {
      if (TERMINAL.has(f.state) || !f.listener || f.listener.closed || f.listener.port !== port) continue;
      if (f.state !== 'waiting') {
        // Its callback is being answered right now: the port frees itself in a moment.
        throw new DeskError(
          'port_in_use',
          `the fixed redirect port ${port} is still held by an SSO Desk sign-in that is finishing (${f.email}); try again in a moment`,
          { field: 'redirectPort', status: 409 },
        );
      }
      await this.fail(
        f,
        'cancelled',
        `cancelled: a new sign-in took over the fixed redirect port ${port} (http://${host}:${port}/callback); ` +
          `this one’s listener is closed`,
      );
      await f.listener.close();
    }
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
    return this.flows.find(flowId);
  }

  private view(f: Flow): FlowStatus {
    return statusOf(f, f.rp.issuer, f.waitingHint);
  }

  /** What the Simulator's sentence needs about a flow's outcome (engine-internal). */
  facts(flowId: string): FlowFacts {
    return { ...this.get(flowId).facts };
  }

  /**
   * The redirect arrived at the loopback listener: `CALLBACK_STEPS` check it, exchange the code and check
   * the ID token and the user, in order; the first refusal ends the sign-in. Then the user lands.
   */
  private async onCallback(flow: Flow, url: URL): Promise<CallbackReply> {
    if (flow.state !== 'waiting') return this.lateCallback(flow);
    flow.state = 'exchanging';
    flow.known.add(url.searchParams.get('code'));
    flow.trace.ok('callback', `redirect received: ${redactUrl(url)}`);
    const c: Callback = { flow, url, env: { db: this.db, clock: this.ctx.clock } };
    for (const step of CALLBACK_STEPS) {
      const refused = await step(c);
      // Ended meanwhile (timeout, cancel, a second callback): this callback only says so.
      if (flow.state !== 'exchanging') return this.endedReply(flow);
      if (refused) return this.failReply(flow, refused.code, refused.step, refused.message);
    }
    return this.land(flow, c.user!, c.eligible!, c.tokens!.id_token);
  }

  /** A callback for a flow that is no longer waiting: a replay while the first is handled ends the sign-in. */
  private async lateCallback(flow: Flow): Promise<CallbackReply> {
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

  /** Every check passed: one account signs the user in (or records the test), several wait for the picker. */
  private land(
    flow: Flow,
    user: { id: number; email: string },
    eligible: AccountDecision[],
    idToken: string | undefined,
  ): CallbackReply {
    flow.userId = user.id;
    flow.idToken = idToken;
    if (eligible.length === 1) {
      this.succeed(flow, eligible[0]!.accountId);
      if (flow.test) {
        return {
          status: 200,
          title: 'Test sign-in worked',
          message:
            `${user.email} signed in through this IdP with the saved settings of ${eligible[0]!.accountName}. ` +
            `No session was opened. Return to SSO Desk; you can close this tab.`,
        };
      }
      return {
        status: 200,
        title: 'Signed in',
        message: `You are signed in to ${eligible[0]!.accountName} as ${user.email}. Return to SSO Desk; you can close this tab.`,
      };
    }
    flow.offered = eligible.map((a) => ({ id: a.accountId, name: a.accountName }));
    flow.state = 'picking';
    flow.trace.info(
      'account picker',
      `${user.email} may enter ${flow.offered.map((a) => a.name).join(' or ')}: waiting for a choice in SSO Desk`,
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
      // The evidence names whom the IdP signed in, not what was typed (issue 26 §3).
      const who = flow.asserted ?? flow.email;
      const other = normalizeEmail(who) !== flow.email ? ` (typed ${flow.email}; the IdP signed in another user)` : '';
      recordTestSignin(this.db, accountId, { fingerprint: flow.test.fingerprint, at: now, email: who });
      flow.idToken = undefined;
      flow.state = 'signed_in';
      flow.trace.ok(
        'test sign-in',
        `test sign-in by ${who} through ${flow.rp.issuer} worked${other}; no session was opened`,
      );
      this.audit(who, accountId, 'ok', `test sign-in by ${who} through ${flow.rp.issuer}${other}`, now, flow);
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
      `signed in to ${flow.session.accountName} as ${flow.session.email}; session ${REDACTED} ` +
        `until ${new Date(flow.session.expiresAt).toISOString()}`,
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

/** What discovery found, in the trace: the endpoints, and how the issuer relates to the IdP URL (Entra's tenants). */
function traceDiscovery(trace: Trace, issuer: string, meta: client.ServerMetadata, match: IssuerMatch): void {
  trace.ok(
    'discovery',
    `${issuer}/.well-known/openid-configuration: authorization ${meta.authorization_endpoint}, ` +
      `token ${meta.token_endpoint}, JWKS ${meta.jwks_uri}`,
  );
  if (match.kind === 'tenant_resolved') {
    trace.info(
      'issuer',
      `the IdP URL names the tenant "${match.tenant}"; discovery reports the canonical issuer ` +
        `${match.canonical} (tenant ID ${match.tenantId}): ID tokens are checked against it. ` +
        `Use it as the IdP URL to make this explicit.`,
    );
  } else if (match.kind === 'multi_tenant') {
    trace.info(
      'issuer',
      `"${match.tenant}" is multi-tenant: the issuer ${match.template} is filled from the ` +
        `ID token’s tid, which must be a tenant GUID, and checked against the signing key’s issuer`,
    );
  }
}
