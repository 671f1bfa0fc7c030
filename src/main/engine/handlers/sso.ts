import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { decide } from '../policy';
import { oidcEngineFor, type OidcEngine } from '../oidc/engine';
import { samlEngineFor } from '../saml/engine';
import { ssoFlowsFor } from '../sso-flows';

type SsoChannels =
  | 'sso.oidc.get'
  | 'sso.oidc.save'
  | 'sso.oidc.revert'
  | 'sso.oidc.stagePreview'
  | 'sso.oidc.test'
  | 'sso.saml.get'
  | 'sso.saml.save'
  | 'sso.saml.test'
  | 'sso.saml.metadata'
  | 'sso.signin.start'
  | 'sso.signin.status'
  | 'sso.signin.pick'
  | 'sso.signin.cancel'
  | 'sso.logout'
  | 'sso.policy';

/** SSO (OIDC and SAML): settings, Test connection, "Sign in with SSO", logout, and the policy's explanation. */
export function ssoHandlers(ctx: EngineContext, engine: OidcEngine = oidcEngineFor(ctx)): Pick<Handlers, SsoChannels> {
  const saml = samlEngineFor(ctx);
  const flows = ssoFlowsFor(ctx);
  return {
    'sso.oidc.get': (input) => engine.get(input.account),
    'sso.oidc.save': (input) => engine.saveChecked(input),
    'sso.oidc.revert': (input) => engine.revert(input),
    'sso.oidc.stagePreview': (input) => engine.stagePreview(input),
    'sso.oidc.test': (input) => engine.test(input),
    'sso.saml.get': (input) => saml.get(input.account),
    'sso.saml.save': (input) => saml.saveChecked(input),
    'sso.saml.test': (input) => saml.test(input),
    'sso.saml.metadata': (input) => saml.metadata(input.account),
    'sso.signin.start': (input) =>
      flows.start(input.email, input.account, {
        freshLogin: input.freshLogin,
        test: input.test ?? false,
        protocol: input.protocol,
        // A test sign-in through unsaved settings (an edit of a live SSO setup); needs the account.
        ...(input.test && input.draft && input.account
          ? { draft: engine.draftForSignin(input.account, input.draft) }
          : {}),
      }),
    'sso.signin.status': (input) => flows.status(input.flowId),
    'sso.signin.pick': (input) => flows.pick(input.flowId, input.account),
    'sso.signin.cancel': (input) => flows.cancel(input.flowId),
    'sso.logout': (input) => engine.logout(input.sessionId),
    'sso.policy': (input) => {
      const v = decide(ctx.store.db, input.email);
      if (v.kind === 'not_registered') return { email: v.email, registered: false, reason: v.reason, accounts: [] };
      return {
        email: v.email,
        registered: true,
        reason: v.accounts.map((a) => a.reason).join('\n'),
        accounts: v.accounts.map((a) => ({
          account: a.accountId,
          accountName: a.accountName,
          ssoEnabled: a.ssoEnabled,
          protocol: a.protocol,
          passwordMethod: a.passwordMethod,
          reason: a.reason,
        })),
      };
    },
  };
}
