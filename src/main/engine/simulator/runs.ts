import type { EngineContext } from '../context';
import { DeskError, notFound } from '@shared/errors';
import { normalizeEmail } from '@shared/domain';
import type { SimRunRecord, SimRunView } from '@shared/contract/simulator';
import type { FlowStatus } from '@shared/contract/oidc';
import type { TraceStep } from '@shared/trace';
import { supportSentence, type RunFacts } from '@shared/support-sentence';
import { decide } from '../policy';
import { randomToken, sha256 } from '../crypto/hash';
import { findOidcSession } from '../../store/oidc-sessions';
import { Trace } from '../trace';
import { passwordLogin, type LoginResult } from '../passthrough/login';
import { authService } from '../passthrough/service';
import { oidcEngineFor } from '../oidc/engine';
import { ssoFlowsFor } from '../sso-flows';
import type { SigninFlows } from '../oidc/signin';
import { getOidc } from '../../store/sso-config';
import { getAccount } from '../../store/accounts';
import { appendAudit } from '../../store/audit';

type Parsed = {
  email: string;
  password?: string | undefined;
  account?: string | undefined;
  method: SimRunRecord['method'];
  device: SimRunRecord['device'];
  // Wired to the engines by the IdP-interop (prompt=login) and login-protection work; kept with the run here.
  freshLogin?: boolean | undefined;
  countAgainstCustomer?: boolean | undefined;
};

interface Run {
  id: string;
  input: SimRunRecord;
  ran: 'password' | 'sso' | null;
  trace: Trace;
  flowId: string | null;
  sso: SimRunView['sso'];
  outcome: SimRunView['outcome'];
  finishedAt: number | null;
  durationMs: number | null;
  saved: number | null;
  /** The account the engine settled on, once it did. */
  accountId: string | null;
  /** The SSO session this run opened (its id, held in memory only), to read the ID token back on request. */
  sessionId: string | null;
}

/** How many runs are kept in memory; the oldest finished ones go first. */
const MAX_RUNS = 50;

const hostOf = (url: string | null | undefined): string | undefined => {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The Simulator's runs: each replays one login through the real engines (the password engine of
 * `POST /auth/login`, or an OIDC sign-in flow) with a trace the console polls while it grows. A run
 * keeps the input without the password; the password lives only for the duration of the engine call.
 */
export class SimulatorRuns {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly ctx: EngineContext) {}

  /**
   * Starts a run and returns at once; the steps appear in `status` as the engine adds them.
   * Auto asks the policy (`decide`): an account that enforces SSO gets the SSO flow, otherwise the
   * password engine (pass-through or SSO Desk's password) runs.
   */
  async start(raw: Parsed): Promise<SimRunView> {
    const email = normalizeEmail(raw.email);
    const input: SimRunRecord = {
      email,
      method: raw.method,
      device: raw.device,
      ...(raw.account ? { account: raw.account } : {}),
      ...(raw.freshLogin ? { freshLogin: true } : {}),
      ...(raw.countAgainstCustomer ? { countAgainstCustomer: true } : {}),
    };
    const trace = new Trace(() => this.ctx.clock.now());
    const run: Run = {
      id: randomToken(18),
      input,
      ran: null,
      trace,
      flowId: null,
      sso: null,
      outcome: null,
      finishedAt: null,
      durationMs: null,
      saved: null,
      accountId: raw.account ?? null,
      sessionId: null,
    };
    this.remember(run);

    const password = raw.password ?? '';
    const ran = this.choose(run, password);
    run.ran = ran;
    if (ran === 'password') {
      // The real reason first: a deactivated member is refused whatever password is typed (or none).
      const verdict = decide(this.ctx.store.db, email);
      const mine =
        verdict.kind === 'decided' ? verdict.accounts.filter((a) => !raw.account || a.accountId === raw.account) : [];
      const off = mine.filter((a) => !a.active);
      if (off.length > 0 && off.length === mine.length) {
        const reason = off.map((a) => a.reason).join('; ');
        trace.fail('policy', reason);
        this.finish(run, {
          ok: false,
          code: 'deactivated',
          message: reason,
          facts: { accountName: off.length === 1 ? off[0]!.accountName : this.accountName(raw.account) },
        });
      } else if (password === '' && verdict.kind !== 'not_registered') {
        trace.fail('password', 'no password was typed: a password login cannot be replayed without one');
        this.finish(run, {
          ok: false,
          code: 'missing_password',
          message: 'enter the password the user types',
          facts: { accountName: this.accountName(raw.account) },
        });
      } else {
        const req = { email, password, device: raw.device, ...(raw.account ? { account: raw.account } : {}) };
        void passwordLogin(
          authService(this.ctx),
          req,
          { peer: null, actor: 'simulator', runId: run.id, countAgainstCustomer: raw.countAgainstCustomer === true },
          trace,
        )
          .then((r) => this.finishPassword(run, r))
          .catch((e: unknown) => {
            trace.fail('engine', (e as Error).message);
            this.finish(run, { ok: false, code: 'engine_error', message: (e as Error).message, facts: {} });
          });
      }
    } else {
      await this.startSso(run, raw.account);
    }
    return this.view(run);
  }

  /** A run's steps so far and its outcome. @throws DeskError `not_found`. */
  status(runId: string): SimRunView {
    return this.view(this.get(runId));
  }

  /**
   * Writes a finished run to the audit log as `simulation.run`: the input (never the password),
   * the redacted steps, the outcome and its sentence. Saving twice gives the same event.
   * @throws DeskError `not_found` | `run_not_finished`.
   */
  /**
   * The ID token an SSO run received, for Inspector › Tokens. Read back from the run's session, where
   * it is kept encrypted; it is never in a trace, the audit log or a saved run.
   * @throws DeskError `not_found` for an unknown run, `no_id_token` when the run has none.
   */
  idToken(runId: string): { token: string } {
    const run = this.runs.get(runId);
    if (!run) throw notFound('no such run (runs are kept in memory; the last 50)');
    const row = run.sessionId ? findOidcSession(this.ctx.store.db, sha256(run.sessionId)) : undefined;
    if (!row?.idTokenEnc)
      throw new DeskError('no_id_token', 'this run did not receive an ID token: only a successful SSO run has one', {
        status: 404,
      });
    return { token: this.ctx.platform.secrets.decrypt(row.idTokenEnc) };
  }

  /**
   * Ends the SSO session a successful run opened (RP-initiated logout where the IdP offers it).
   * @throws DeskError `not_found` for an unknown run, `no_session` when the run opened none.
   */
  logout(runId: string): ReturnType<ReturnType<typeof oidcEngineFor>['logout']> {
    const run = this.get(runId);
    if (!run.sessionId)
      throw new DeskError('no_session', 'this run opened no session: only a successful SSO run has one', {
        status: 404,
      });
    return oidcEngineFor(this.ctx).logout(run.sessionId);
  }

  save(runId: string): { auditId: number } {
    const run = this.get(runId);
    this.view(run); // an SSO run learns its outcome from the flow here
    if (!run.outcome)
      throw new DeskError('run_not_finished', 'the run has not finished yet: save it once it has an outcome', {
        status: 409,
      });
    if (run.saved !== null) return { auditId: run.saved };
    run.saved = appendAudit(this.ctx.store.db, {
      at: this.ctx.clock.now(),
      kind: 'simulation.run',
      runId: run.id,
      accountId: run.accountId ?? this.onlyAccount(run.input.email) ?? null,
      email: run.input.email,
      actor: 'simulator',
      method: run.ran,
      outcome: run.outcome.ok ? 'ok' : 'failed',
      reason: run.outcome.sentence,
      durationMs: run.durationMs,
      detail: {
        input: run.input,
        ran: run.ran,
        code: run.outcome.code,
        message: run.outcome.message,
        sentence: run.outcome.sentence,
        startedAt: run.trace.startedAt,
        steps: run.trace.steps,
      },
    });
    return { auditId: run.saved };
  }

  private choose(run: Run, password: string): 'password' | 'sso' {
    const { method, email, account } = run.input;
    if (method === 'password') {
      run.trace.info('method choice', 'Password, as chosen: the platform’s password login (POST /auth/login)');
      return 'password';
    }
    if (method === 'sso') {
      run.trace.info('method choice', '“Sign in with SSO”, as chosen');
      return 'sso';
    }
    const verdict = decide(this.ctx.store.db, email);
    if (verdict.kind === 'not_registered') {
      run.trace.info('method choice', `Auto: ${verdict.reason}; the password login says so`);
      return 'password';
    }
    const accounts = account ? verdict.accounts.filter((a) => a.accountId === account) : verdict.accounts;
    const sso = accounts.filter((a) => a.ssoEnabled);
    if (accounts.length > 0 && sso.length === accounts.length) {
      run.trace.info('method choice', `Auto: ${sso.map((a) => a.reason).join('; ')} → Sign in with SSO`);
      return 'sso';
    }
    if (sso.length > 0 && password === '') {
      run.trace.info(
        'method choice',
        `Auto: no password typed, and ${sso.map((a) => a.accountName).join(', ')} use SSO → Sign in with SSO`,
      );
      return 'sso';
    }
    const why = accounts.map((a) => a.reason).join('; ') || `${email} belongs to no account`;
    run.trace.info('method choice', `Auto: ${why} → password login`);
    return 'password';
  }

  private async startSso(run: Run, account: string | undefined): Promise<void> {
    const flows = ssoFlowsFor(this.ctx);
    try {
      const started = await flows.start(run.input.email, account, {
        trace: run.trace,
        freshLogin: run.input.freshLogin === true,
        runId: run.id,
      });
      run.flowId = started.flowId;
      run.sso = {
        flowId: started.flowId,
        authorizationUrl: started.authorizationUrl,
        openedBy: started.openedBy,
        accounts: started.accounts,
      };
      const hint = flows.status(started.flowId).waitingHint;
      if (hint) run.sso.waitingHint = hint;
    } catch (error) {
      const e = error as DeskError;
      const code = e instanceof DeskError ? e.code : 'engine_error';
      if (!run.trace.steps.some((s) => s.outcome === 'fail')) run.trace.fail('policy', e.message);
      const cfg = account ? getOidc(this.ctx.store.db, account) : undefined;
      const port = code === 'port_in_use' ? Number(/port (\d+)/.exec(e.message)?.[1]) || undefined : undefined;
      this.finish(run, {
        ok: false,
        code,
        message: e.message,
        facts: {
          accountName: this.accountName(account) ?? this.firstAccountName(run.input.email),
          idpHost: hostOf(cfg?.issuer) ?? this.ssoIdpHost(run.input.email),
          port,
        },
      });
    }
  }

  private finishPassword(run: Run, r: LoginResult): void {
    const response = [...run.trace.steps].reverse().find((s) => s.step === 'external answer');
    const facts: Partial<RunFacts> = {
      accountName: r.account?.name ?? this.accountName(run.input.account),
      passwordMethod: r.method === 'passthrough' ? 'passthrough' : r.method === 'password' ? 'password' : undefined,
      serviceHost: hostOf(response?.http?.request.url),
      status: response?.http?.response?.status,
      statusText: response?.http?.response?.statusText,
      retryAfterSeconds: r.retryAfterSeconds,
      accounts: r.accounts?.map((a) => a.name),
    };
    const ok = r.outcome === 'authenticated';
    if (r.account) run.accountId = r.account.id;
    this.finish(run, {
      ok,
      code: ok ? 'signed_in' : (r.code ?? r.outcome),
      message: r.message,
      facts,
      ...(r.outcome === 'choose_account' && r.accounts
        ? { accounts: r.accounts.map((a) => ({ id: a.id, name: a.name })) }
        : {}),
    });
  }

  /** An SSO run follows its flow: done once the flow is signed in or failed. */
  private followFlow(run: Run): FlowStatus | null {
    if (!run.flowId) return null;
    let flow: FlowStatus;
    try {
      flow = ssoFlowsFor(this.ctx).status(run.flowId);
    } catch {
      return null;
    }
    if (run.outcome) return flow;
    if (flow.state === 'signed_in' && flow.session) {
      run.accountId = flow.session.account;
      run.sessionId = flow.session.id;
      if (normalizeEmail(flow.session.email) !== run.input.email) {
        // The IdP reused another user's open session: signed in, but not the user being replayed.
        const message =
          `the IdP signed in ${flow.session.email}, not ${run.input.email}: it reused an open ` +
          `session — run again with a fresh login`;
        this.finish(run, {
          ok: false,
          level: 'warn',
          code: 'other_user',
          message,
          facts: { assertedEmail: flow.session.email, accountName: flow.session.accountName },
        });
      } else {
        this.finish(run, {
          ok: true,
          code: 'signed_in',
          message: `signed in to ${flow.session.accountName} as ${flow.session.email}`,
          facts: { email: flow.session.email, accountName: flow.session.accountName },
        });
      }
    } else if (flow.state === 'failed' && flow.error) {
      const code = flow.error.code === 'not_registered' ? 'idp_email_unknown' : flow.error.code;
      const asserted = code === 'idp_email_unknown' ? /^(\S+@\S+?) is not/.exec(flow.error.message)?.[1] : undefined;
      let facts: ReturnType<SigninFlows['facts']> = {};
      try {
        facts = ssoFlowsFor(this.ctx).facts(flow.flowId);
      } catch {
        // The flow was forgotten: the sentence goes without its details.
      }
      this.finish(run, {
        ok: false,
        code,
        message: flow.error.message,
        facts: {
          ...facts,
          email: asserted ?? flow.email,
          accountName: this.accountName(run.input.account) ?? this.firstAccountName(flow.email),
          idpHost: hostOf(flow.issuer),
        },
      });
    }
    return flow;
  }

  private finish(
    run: Run,
    o: {
      ok: boolean;
      level?: 'ok' | 'warn' | 'fail';
      code: string;
      message: string;
      facts: Partial<RunFacts>;
      accounts?: Array<{ id: string; name: string }>;
    },
  ): void {
    if (run.outcome) return;
    const sentence = supportSentence({ email: run.input.email, ...o.facts, code: o.code, message: o.message });
    const level = o.level ?? (o.ok ? 'ok' : 'fail');
    run.outcome = {
      ok: o.ok,
      level,
      code: o.code === 'signed_in' ? null : o.code,
      message: o.message,
      sentence,
      ...(o.accounts ? { accounts: o.accounts } : {}),
    };
    run.finishedAt = Date.now();
    run.durationMs = this.ctx.clock.now() - run.trace.startedAt;
  }

  private view(run: Run): SimRunView {
    const flow = this.followFlow(run);
    const state: SimRunView['state'] = run.outcome
      ? 'done'
      : flow?.state === 'picking'
        ? 'picking'
        : run.ran === 'sso'
          ? 'waiting'
          : 'running';
    const steps: TraceStep[] = [...run.trace.steps];
    return {
      runId: run.id,
      title:
        `${run.input.method === 'auto' ? 'Auto' : run.input.method === 'sso' ? 'Sign in with SSO' : 'Password'} ` +
        `login of ${run.input.email}${run.input.account ? ` to ${this.accountName(run.input.account) ?? run.input.account}` : ''}`,
      startedAt: run.trace.startedAt,
      input: run.input,
      ran: run.ran,
      state,
      steps,
      sso: run.sso && { ...run.sso, accounts: flow?.state === 'picking' ? flow.accounts : run.sso.accounts },
      outcome: run.outcome,
      durationMs: run.durationMs,
      saved: run.saved,
      accountId: run.accountId,
    };
  }

  private accountName(id: string | undefined): string | undefined {
    return id ? getAccount(this.ctx.store.db, id)?.name : undefined;
  }

  private firstAccountName(email: string): string | undefined {
    const v = decide(this.ctx.store.db, email);
    if (v.kind === 'not_registered') return undefined;
    return (v.accounts.find((a) => a.ssoEnabled) ?? v.accounts[0])?.accountName;
  }

  private ssoIdpHost(email: string): string | undefined {
    const v = decide(this.ctx.store.db, email);
    if (v.kind === 'not_registered') return undefined;
    const a = v.accounts.find((x) => x.ssoEnabled);
    return a ? hostOf(getOidc(this.ctx.store.db, a.accountId)?.issuer) : undefined;
  }

  private onlyAccount(email: string): string | undefined {
    const v = decide(this.ctx.store.db, email);
    if (v.kind === 'not_registered' || v.accounts.length !== 1) return undefined;
    return v.accounts[0]!.accountId;
  }

  private get(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw notFound('no such simulator run (only the last 50 are kept)');
    return run;
  }

  private remember(run: Run): void {
    this.runs.set(run.id, run);
    while (this.runs.size > MAX_RUNS) {
      const oldest = [...this.runs.values()].find((r) => r.outcome !== null) ?? this.runs.values().next().value!;
      this.runs.delete(oldest.id);
    }
  }
}

const registries = new WeakMap<EngineContext, SimulatorRuns>();

/** The one run registry of a context. */
export function simulatorRunsFor(ctx: EngineContext): SimulatorRuns {
  let r = registries.get(ctx);
  if (!r) {
    r = new SimulatorRuns(ctx);
    registries.set(ctx, r);
  }
  return r;
}
