import { SAML as NodeSaml } from '@node-saml/node-saml';
import type { EngineContext } from '../context';
import { getSaml, rememberAssertion, type SamlRow } from '../../store/sso-saml';
import { appendAudit } from '../../store/audit';
import { recordTestSignin } from '../../store/sso-enforcement';
import { DeskError } from '@shared/errors';
import { checkPick, FlowTable, statusOf } from '../flow-table';
import type { FlowStatus, SessionView } from '@shared/contract/oidc';
import { normalizeEmail } from '@shared/domain';
import { acsUrl, SAML_START_PATH, spEntityId } from '@shared/saml-config';
import { decide, ssoAccounts, type PolicyVerdict } from '../policy';
import { randomToken } from '../crypto/hash';
import { Trace } from '../trace';
import { REDACTED } from '../oidc/redact';
import { MASK } from '@shared/trace';
import { openSession } from '../oidc/sessions';
import { checkEmailRegistered } from '../oidc/checks/check-email-registered';
import type { CallbackReply } from '../oidc/loopback-listener';
import { AcsListener, type AcsPost } from './acs-listener';
import { rowSamlFingerprint } from './config';
import { validateSamlResponse } from './validate-response';
import { redactSamlXml } from './redact-xml';
import { decodeSamlText, samlId } from './xml-safety';
import { autoPostPage, type PostPage } from './post-form';
import { authnRequestBinding } from './idp-metadata';

export const SAML_FLOW_TIMEOUT_MS = 5 * 60 * 1000;

type FlowState = FlowStatus['state'];
const TERMINAL: ReadonlySet<FlowState> = new Set(['signed_in', 'failed']);

interface SamlFlow {
  id: string;
  email: string;
  accountId: string;
  accountIds: string[];
  cfg: SamlRow;
  requestId: string;
  state: FlowState;
  trace: Trace;
  startedAt: number;
  expiresAt: number;
  timer: NodeJS.Timeout | null;
  port: number;
  offered: Array<{ id: string; name: string }>;
  userId: number | null;
  session: SessionView | null;
  error: { code: string; message: string } | null;
  finishedAt: number | null;
  runId?: string | undefined;
  test: { fingerprint: string } | null;
  facts: { assertedEmail?: string; userClaim?: string };
  /** The registered user the IdP asserted, once checked: what a test sign-in credits. */
  asserted: string | null;
  /** For an IdP that takes AuthnRequests only by HTTP-POST: the page on the ACS listener that posts it. */
  startPage: PostPage | null;
}

export interface SamlFlowOptions {
  flowTimeoutMs?: number;
  keepFinishedMs?: number;
}

/**
 * "Sign in with SSO" through an account's SAML IdP (Web Browser SSO Profile, SP-initiated): an
 * AuthnRequest by HTTP-Redirect to the IdP (HTTP-POST where its metadata offers only that), the
 * SAMLResponse by HTTP-POST to the ACS on the loopback listener at the account's fixed port, then the
 * same user, account and session rules as OIDC. The flow's status has the shape of an OIDC flow's, so
 * the Simulator and the console follow one kind of flow.
 */
export class SamlFlows {
  private readonly flows: FlowTable<SamlFlow>;
  private readonly listeners = new Map<number, AcsListener>();
  private readonly timeoutMs: number;

  constructor(
    private readonly ctx: EngineContext,
    opts: SamlFlowOptions = {},
  ) {
    this.timeoutMs = opts.flowTimeoutMs ?? SAML_FLOW_TIMEOUT_MS;
    this.flows = new FlowTable(opts.keepFinishedMs ?? 15 * 60 * 1000);
  }

  private get db() {
    return this.ctx.store.db;
  }

  has(flowId: string): boolean {
    return this.flows.has(flowId);
  }

  /**
   * Starts a SAML sign-in: picks the account (as OIDC does), builds the AuthnRequest (node-saml,
   * HTTP-Redirect binding, or HTTP-POST for an IdP that takes only that; ForceAuthn for a fresh login),
   * opens the ACS and hands the URL to the platform.
   * @throws DeskError `not_registered` | `deactivated` | `sso_not_enabled` | `choose_account` |
   *   `not_member` | `sso_not_configured` | `port_in_use` (field `acsPort`).
   *
   * Long because choosing the account, checking its settings, opening the ACS and building the AuthnRequest happen
   * in this order with the trace written between them; each step is a call, the rest is the trace.
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
    const sso = opts.test ? this.testAccounts(verdict, email, accountId) : ssoAccounts(verdict, 'saml');
    const deactivated = verdict.accounts.filter((a) => !a.active && (!accountId || a.accountId === accountId));
    if (sso.filter((a) => !accountId || a.accountId === accountId).length === 0 && deactivated.length > 0)
      throw new DeskError('deactivated', deactivated.map((a) => a.reason).join('; '), { field: 'email', status: 403 });
    const chosen = accountId ? sso.find((a) => a.accountId === accountId) : sso[0];
    if (!chosen)
      throw new DeskError(
        'sso_not_enabled',
        `${email}: SAML SSO is not on for ` +
          `${accountId ? `account "${accountId}"` : verdict.accounts.map((a) => a.accountName).join(', ') || 'no account'}`,
        { field: accountId ? 'account' : 'email' },
      );
    const cfg = getSaml(this.db, chosen.accountId)!;
    const same = (id: string) => {
      const c = getSaml(this.db, id);
      return c !== undefined && c.idpEntityId === cfg.idpEntityId && c.acsPort === cfg.acsPort;
    };
    const sameIdp = sso.filter((a) => same(a.accountId));
    if (!accountId && sameIdp.length < sso.length)
      throw new DeskError(
        'choose_account',
        `${email}: the accounts with SSO use different IdPs (` +
          `${sso.map((a) => `${a.accountName}: ${getSaml(this.db, a.accountId)?.idpEntityId}`).join('; ')}); choose an account`,
        { field: 'account' },
      );
    const trace = opts.trace ?? new Trace(() => this.ctx.clock.now());
    trace.ok(
      'policy',
      opts.test
        ? `${email}: test sign-in through the saved SAML settings of ${chosen.accountName} (IdP ` +
            `${cfg.idpEntityId}); SSO is ${cfg.enabled ? 'on' : 'off'} there`
        : `${email}: SAML SSO is on for ${sameIdp.map((a) => a.accountName).join(', ')} (IdP ${cfg.idpEntityId})`,
    );
    const flow: SamlFlow = {
      id: randomToken(18),
      email,
      accountId: chosen.accountId,
      accountIds: sameIdp.map((a) => a.accountId),
      cfg,
      requestId: samlId(),
      state: 'waiting',
      trace,
      startedAt: now,
      expiresAt: now + this.timeoutMs,
      timer: null,
      port: cfg.acsPort,
      offered: [],
      userId: null,
      session: null,
      error: null,
      finishedAt: null,
      runId: opts.runId,
      test: opts.test ? { fingerprint: rowSamlFingerprint(cfg) } : null,
      facts: {},
      asserted: null,
      startPage: null,
    };
    // Known before the ACS opens, so that a closing listener of an ended flow sees that one waits.
    this.flows.set(flow.id, flow);
    try {
      await this.listen(cfg.acsPort);
    } catch (error) {
      this.flows.delete(flow.id);
      trace.fail('listener', (error as Error).message);
      this.audit(flow, 'failed', (error as Error).message);
      throw error;
    }
    trace.ok(
      'listener',
      `ACS listening on ${acsUrl(cfg.acsPort)} (HTTP-POST binding, the fixed port registered ` +
        `at the IdP; closes when no sign-in waits, or after ${Math.round(this.timeoutMs / 1000)} s)`,
    );
    const { binding, url, request } = await this.authnRequest(flow, chosen.accountId, opts.freshLogin === true);
    trace.info(
      'authn request',
      `AuthnRequest ${flow.requestId} by ${binding} to ${cfg.idpSsoUrl}${opts.freshLogin ? ' (ForceAuthn: a fresh login)' : ''}` +
        `${binding === 'HTTP-POST' ? ' (the IdP takes only HTTP-POST: a page on the ACS listener posts it)' : ''}, ` +
        `hand-off to the ${this.ctx.platform.kind === 'electron' ? 'system browser' : 'console (new tab)'}:\n${decodeSamlText(request)}`,
    );
    flow.timer = setTimeout(() => {
      void this.fail(
        flow,
        'timed_out',
        `timed out: no SAML response arrived within ${Math.round(this.timeoutMs / 1000)} s; the ACS is closed`,
      );
    }, this.timeoutMs);
    flow.timer.unref();
    try {
      await this.ctx.platform.openExternal(url);
    } catch (error) {
      trace.warn(
        'authn request',
        `the system browser did not open (${(error as Error).message}); open the URL by hand`,
      );
    }
    return {
      flowId: flow.id,
      authorizationUrl: url,
      openedBy: this.ctx.platform.kind === 'electron' ? ('system-browser' as const) : ('console' as const),
      accounts: sameIdp.map((a) => ({ id: a.accountId, name: a.accountName })),
      expiresAt: flow.expiresAt,
    };
  }

  /**
   * The AuthnRequest (node-saml) and the URL the browser opens: the IdP's SSO URL with the request
   * (HTTP-Redirect), or, for an IdP that takes only HTTP-POST, the ACS listener's page that posts it.
   */
  private async authnRequest(
    flow: SamlFlow,
    accountId: string,
    freshLogin: boolean,
  ): Promise<{ binding: 'HTTP-Redirect' | 'HTTP-POST'; url: string; request: string }> {
    const cfg = flow.cfg;
    const binding = authnRequestBinding(cfg);
    const saml = new NodeSaml({
      entryPoint: cfg.idpSsoUrl,
      issuer: spEntityId(accountId),
      callbackUrl: acsUrl(cfg.acsPort),
      idpCert: cfg.idpCerts,
      identifierFormat: cfg.nameIdFormat,
      forceAuthn: freshLogin,
      disableRequestedAuthnContext: true,
      generateUniqueId: () => flow.requestId,
      // Bindings §3.5.4: by HTTP-POST the message is base64 of the XML itself, not DEFLATEd.
      skipRequestCompression: binding === 'HTTP-POST',
    });
    if (binding === 'HTTP-Redirect') {
      const url = await saml.getAuthorizeUrlAsync(flow.id, undefined, {});
      return { binding, url, request: new URL(url).searchParams.get('SAMLRequest') ?? '' };
    }
    const request = String((await saml.getAuthorizeMessageAsync(flow.id, undefined, {})).SAMLRequest);
    flow.startPage = autoPostPage({
      title: 'Signing in — SSO Desk',
      heading: 'Taking you to your identity provider…',
      button: 'Continue to the identity provider',
      action: cfg.idpSsoUrl,
      fields: { SAMLRequest: request, RelayState: flow.id },
      formAction: 'http: https:',
    });
    return { binding, url: `http://127.0.0.1:${cfg.acsPort}${SAML_START_PATH}${flow.id}`, request };
  }

  private async listen(port: number): Promise<void> {
    const open = this.listeners.get(port);
    if (open && !open.closed) return;
    const l = await AcsListener.open(port, {
      onPost: (post) => this.onPost(port, post),
      startPage: (key) => {
        const flow = this.flows.get(key);
        return flow && flow.port === port && flow.state === 'waiting' ? flow.startPage : null;
      },
    });
    this.listeners.set(port, l);
  }

  /** Routes a POST to its flow: by RelayState (the flow's key), else the one flow waiting on this port. */
  private async onPost(port: number, post: AcsPost): Promise<CallbackReply> {
    let flow = post.relayState ? this.flows.get(post.relayState) : undefined;
    if (flow && flow.port !== port) flow = undefined;
    if (!flow) {
      const waiting = [...this.flows.values()].filter((f) => f.port === port && f.state === 'waiting');
      if (waiting.length === 1) flow = waiting[0];
    }
    if (!flow)
      return {
        status: 400,
        title: 'Sign-in failed',
        message:
          'No sign-in in SSO Desk is waiting for this SAML response (it ended, or it was started ' +
          'elsewhere). Start the sign-in from SSO Desk.',
      };
    return this.onResponse(flow, post);
  }

  /**
   * Long because it is the ACS's one ordered path (state, validation, user, accounts, session), each refusal
   * written to the trace where it happens; the order is the security property, so it reads top to bottom.
   */
  private async onResponse(flow: SamlFlow, post: AcsPost): Promise<CallbackReply> {
    if (flow.state !== 'waiting') {
      if (!TERMINAL.has(flow.state))
        await this.fail(
          flow,
          'second_callback',
          'a second SAML response arrived while the first was being handled — the sign-in was ended (possible replay)',
        );
      else flow.trace.warn('acs', 'a second SAML response arrived after the sign-in had ended; refused');
      return {
        status: 409,
        title: 'This sign-in was already handled',
        message: 'SSO Desk already received the answer for this sign-in (a response is used once). Return to the app.',
      };
    }
    flow.state = 'exchanging';
    // The post as a HAR entry would show it: the SAMLResponse (an assertion, a bearer credential) masked.
    flow.trace.ok(
      'acs',
      `SAMLResponse received at ${acsUrl(flow.port)} (${post.samlResponse.length} characters, HTTP-POST)`,
      {
        request: {
          method: 'POST',
          url: acsUrl(flow.port),
          headers: [['content-type', 'application/x-www-form-urlencoded']],
          body: `SAMLResponse=${MASK}${post.relayState ? `&RelayState=${encodeURIComponent(post.relayState)}` : ''}`,
        },
        response: null,
        ms: 0,
      },
    );
    const cfg = flow.cfg;
    const now = this.ctx.clock.now();
    const verdict = await validateSamlResponse(post.samlResponse, {
      spEntityId: spEntityId(flow.accountId),
      acsUrl: acsUrl(cfg.acsPort),
      idpEntityId: cfg.idpEntityId,
      certificates: cfg.idpCerts,
      allowSha1: cfg.allowSha1,
      clockSkewSeconds: cfg.clockSkewSeconds,
      requestId: flow.requestId,
      allowIdpInitiated: cfg.allowIdpInitiated,
      userAttribute: cfg.userAttribute,
      spPrivateKey: cfg.spKeyEnc ? this.ctx.platform.secrets.decrypt(cfg.spKeyEnc) : null,
      now,
      remember: (id, expiresAt) => rememberAssertion(this.db, flow.accountId, id, expiresAt, now),
    });
    if (verdict.xml) flow.trace.info('saml response', redactSamlXml(verdict.xml));
    for (const c of verdict.checks) {
      if (c.result === 'ok') flow.trace.ok(c.check, c.reason);
      else if (c.result === 'skip') flow.trace.info(c.check, `skipped: ${c.reason}`);
    }
    if (verdict.checks.some((c) => c.check === 'in_response_to' && c.reason.startsWith('IdP-initiated')))
      flow.trace.warn(
        'in_response_to',
        'IdP-initiated sign-in is allowed for this account: a response can be injected by ' +
          'any site the user visits while signed in at the IdP',
      );
    if (!verdict.ok) {
      const failed = verdict.checks.find((c) => c.result === 'fail');
      if (verdict.code === 'user_missing') flow.facts.userClaim = cfg.userAttribute;
      return this.failReply(flow, verdict.code, failed?.check ?? 'saml response', verdict.reason);
    }
    if (flow.state !== 'exchanging') return this.endedReply(flow);
    const registered = checkEmailRegistered(this.db, verdict.user);
    if ('problem' in registered)
      return this.failReply(
        flow,
        'not_registered',
        'user',
        cfg.userAttribute === 'nameid'
          ? registered.problem
          : `${registered.problem} (from the attribute '${cfg.userAttribute}')`,
      );
    flow.asserted = registered.user.email;
    if (normalizeEmail(registered.user.email) !== flow.email) {
      flow.facts.assertedEmail = registered.user.email;
      flow.trace.warn(
        'user',
        `the IdP signed in ${registered.user.email}, not ${flow.email} as typed: it may have ` +
          `reused an open session — sign in again with a fresh login`,
      );
    }
    const decided = decide(this.db, registered.user.email);
    const eligible = flow.test
      ? (decided.kind === 'decided' ? decided.accounts : []).filter((a) => a.active && a.accountId === flow.accountId)
      : ssoAccounts(decided, 'saml').filter(
          (a) => flow.accountIds.includes(a.accountId) || this.sameIdp(flow, a.accountId),
        );
    if (eligible.length === 0) {
      const off =
        decided.kind === 'decided'
          ? decided.accounts.filter(
              (a) => !a.active && (flow.accountIds.includes(a.accountId) || this.sameIdp(flow, a.accountId)),
            )
          : [];
      if (off.length) return this.failReply(flow, 'deactivated', 'accounts', off.map((a) => a.reason).join('; '));
      return this.failReply(
        flow,
        'no_sso_account',
        'accounts',
        `${registered.user.email} has no account that signs in through ${cfg.idpEntityId}`,
      );
    }
    flow.userId = registered.user.id;
    if (eligible.length === 1) {
      this.succeed(flow, eligible[0]!.accountId);
      return flow.test
        ? {
            status: 200,
            title: 'Test sign-in worked',
            message:
              `${registered.user.email} signed in through this SAML IdP with the saved settings ` +
              `of ${eligible[0]!.accountName}. No session was opened. Return to SSO Desk; you can close this tab.`,
          }
        : {
            status: 200,
            title: 'Signed in',
            message:
              `You are signed in to ${eligible[0]!.accountName} as ${registered.user.email}. Return ` +
              `to SSO Desk; you can close this tab.`,
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

  private sameIdp(flow: SamlFlow, accountId: string): boolean {
    const c = getSaml(this.db, accountId);
    return c !== undefined && c.idpEntityId === flow.cfg.idpEntityId && c.acsPort === flow.cfg.acsPort;
  }

  private testAccounts(verdict: PolicyVerdict, email: string, accountId: string | undefined) {
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
    const cfg = getSaml(this.db, accountId);
    if (!cfg?.idpEntityId || !cfg.idpSsoUrl || cfg.idpCerts.length === 0)
      throw new DeskError(
        'sso_not_configured',
        `${a.accountName} has no saved SAML settings to test: save them first`,
        {
          field: 'account',
        },
      );
    return [a];
  }

  status(flowId: string): FlowStatus {
    return this.view(this.get(flowId));
  }

  facts(flowId: string): Record<string, string | undefined> {
    return { ...this.get(flowId).facts };
  }

  pick(flowId: string, accountId: string): FlowStatus {
    const flow = this.get(flowId);
    flow.trace.ok('account picker', `the user chose ${checkPick(flow, accountId)}`);
    this.succeed(flow, accountId);
    return this.view(flow);
  }

  async cancel(flowId: string): Promise<FlowStatus> {
    const flow = this.get(flowId);
    if (!TERMINAL.has(flow.state))
      await this.fail(flow, 'cancelled', 'cancelled: the sign-in was abandoned in SSO Desk');
    return this.view(flow);
  }

  /** For tests: whether the ACS of a port listens. */
  listening(port: number): boolean {
    const l = this.listeners.get(port);
    return l !== undefined && !l.closed;
  }

  async close(): Promise<void> {
    for (const f of this.flows.values()) if (f.timer) clearTimeout(f.timer);
    this.flows.clear();
    await Promise.all([...this.listeners.values()].map((l) => l.close()));
    this.listeners.clear();
  }

  private get(flowId: string): SamlFlow {
    return this.flows.find(flowId);
  }

  private view(f: SamlFlow): FlowStatus {
    return statusOf(
      f,
      f.cfg.idpEntityId,
      `If the IdP shows an error instead of a login page, check that it has the SP entity ` +
        `ID ${spEntityId(f.accountId)} and the ACS URL ${acsUrl(f.port)} exactly.`,
    );
  }

  private succeed(flow: SamlFlow, accountId: string): void {
    const now = this.ctx.clock.now();
    const issuer = flow.cfg.idpEntityId;
    if (flow.test) {
      // Credit the user the IdP asserted, as OIDC does: the person typed may not be who signed in.
      const who = flow.asserted ?? flow.email;
      recordTestSignin(this.db, accountId, { fingerprint: flow.test.fingerprint, at: now, email: who });
      flow.state = 'signed_in';
      flow.trace.ok('test sign-in', `test sign-in through ${issuer} worked; no session was opened`);
      this.audit(flow, 'ok', `test sign-in through ${issuer} (SAML)`, accountId);
    } else {
      flow.session = openSession(this.db, this.ctx.platform.secrets, {
        userId: flow.userId!,
        accountId,
        issuer,
        idToken: undefined,
        now,
      });
      flow.state = 'signed_in';
      flow.trace.ok(
        'session',
        `signed in to ${flow.session.accountName} as ${flow.session.email}; session ${REDACTED} ` +
          `until ${new Date(flow.session.expiresAt).toISOString()}`,
      );
      this.audit(flow, 'ok', `signed in through ${issuer} (SAML)`, accountId);
    }
    void this.finish(flow);
  }

  private endedReply(flow: SamlFlow): CallbackReply {
    return {
      status: 409,
      title: 'Sign-in ended',
      message: `${flow.error?.message ?? 'This sign-in has ended'}. Return to SSO Desk.`,
    };
  }

  private async failReply(flow: SamlFlow, code: string, step: string, message: string): Promise<CallbackReply> {
    flow.trace.fail(step, message);
    await this.fail(flow, code, message, false);
    return { status: 400, title: 'Sign-in failed', message: `${message}. Return to SSO Desk for the details.` };
  }

  private async fail(flow: SamlFlow, code: string, message: string, record = true): Promise<void> {
    if (TERMINAL.has(flow.state)) return;
    if (record) flow.trace.fail(code === 'timed_out' ? 'timeout' : code === 'cancelled' ? 'cancel' : 'acs', message);
    flow.state = 'failed';
    flow.error = { code, message };
    this.audit(flow, 'failed', message);
    await this.finish(flow);
  }

  /** The flow is over; the ACS closes once no flow on its port waits (after the page is out). */
  private async finish(flow: SamlFlow): Promise<void> {
    if (flow.timer) clearTimeout(flow.timer);
    flow.timer = null;
    flow.finishedAt = Date.now();
    flow.expiresAt = Math.min(flow.expiresAt, this.ctx.clock.now());
    // After the page is out; and only if no sign-in started on this port in the meantime.
    setTimeout(() => this.closeIfIdle(flow.port), 50).unref();
  }

  private closeIfIdle(port: number): void {
    if ([...this.flows.values()].some((f) => f.port === port && !TERMINAL.has(f.state))) return;
    const l = this.listeners.get(port);
    if (!l) return;
    this.listeners.delete(port);
    void l.close();
  }

  private audit(flow: SamlFlow, outcome: 'ok' | 'failed', reason: string, accountId = flow.accountId): void {
    appendAudit(this.db, {
      at: this.ctx.clock.now(),
      kind: 'sso.signin',
      accountId,
      email: flow.email,
      method: 'sso',
      outcome,
      reason,
      durationMs: this.ctx.clock.now() - flow.startedAt,
      detail: { issuer: flow.cfg.idpEntityId, protocol: 'saml', steps: flow.trace.steps },
      ...(flow.runId ? { runId: flow.runId, actor: 'simulator' } : {}),
    });
  }
}
