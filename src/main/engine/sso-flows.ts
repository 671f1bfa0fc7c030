import type { EngineContext } from './context';
import type { FlowStatus } from '@shared/contract/oidc';
import { getOidc } from '../store/sso-config';
import { getSaml } from '../store/sso-saml';
import { normalizeEmail } from '@shared/domain';
import { decide, ssoAccounts, ssoSwitchedOn, type SsoProtocol } from './policy';
import type { Trace } from './trace';
import { oidcEngineFor } from './oidc/engine';
import type { OidcRow } from '../store/sso-config';
import type { FlowFacts } from './oidc/signin';
import { samlEngineFor } from './saml/engine';

export interface StartOptions {
  trace?: Trace;
  freshLogin?: boolean;
  runId?: string;
  test?: boolean;
  /** Which protocol a test sign-in goes through; absent = the account's (see `protocolFor`). */
  protocol?: SsoProtocol | undefined;
  /** An OIDC test sign-in through unsaved settings (an edit of a live SSO setup). */
  draft?: { row: OidcRow; fingerprint: string };
}

/**
 * "Sign in with SSO" whatever the account's protocol: one start, one status, one picker. The policy
 * says which protocol an account's SSO uses; a flow is then OIDC's or SAML's, and its status has one shape.
 */
export class SsoFlows {
  constructor(private readonly ctx: EngineContext) {}

  private get oidc() {
    return oidcEngineFor(this.ctx).flows;
  }

  private get saml() {
    return samlEngineFor(this.ctx).flows;
  }

  /** The protocol of a sign-in: as asked, else the account's switched-on SSO, else (a test) what is configured. */
  protocolFor(email: string, account: string | undefined, opts: StartOptions): SsoProtocol {
    if (opts.protocol) return opts.protocol;
    const { db } = this.ctx.store;
    if (account) {
      const on = ssoSwitchedOn(db, account);
      if (on) return on.protocol;
      return getSaml(db, account) && !getOidc(db, account) ? 'saml' : 'oidc';
    }
    return ssoAccounts(decide(db, normalizeEmail(email)))[0]?.protocol ?? 'oidc';
  }

  start(email: string, account?: string, opts: StartOptions = {}) {
    const { protocol: _, draft, ...rest } = opts;
    return this.protocolFor(email, account, opts) === 'saml'
      ? this.saml.start(email, account, rest)
      : this.oidc.start(email, account, draft ? { ...rest, draft } : rest);
  }

  status(flowId: string): FlowStatus {
    return this.saml.has(flowId) ? this.saml.status(flowId) : this.oidc.status(flowId);
  }

  pick(flowId: string, account: string): FlowStatus {
    return this.saml.has(flowId) ? this.saml.pick(flowId, account) : this.oidc.pick(flowId, account);
  }

  cancel(flowId: string): Promise<FlowStatus> {
    return this.saml.has(flowId) ? this.saml.cancel(flowId) : this.oidc.cancel(flowId);
  }

  facts(flowId: string): FlowFacts {
    return this.saml.has(flowId) ? this.saml.facts(flowId) : this.oidc.facts(flowId);
  }
}

const facades = new WeakMap<EngineContext, SsoFlows>();

export function ssoFlowsFor(ctx: EngineContext): SsoFlows {
  let f = facades.get(ctx);
  if (!f) {
    f = new SsoFlows(ctx);
    facades.set(ctx, f);
  }
  return f;
}
