import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { inspectToken } from '../inspect/jwt-inspect';
import { diagnose } from '../inspect/diagnose';
import { accountSettings } from '../inspect/diagnose/accounts';
import { outboundFor } from '../network/outbound';
import { inspectSaml } from '../saml/inspect';

/** Inspector channels: token decoding and verification, SAML messages, and diagnosis of a capture. Never logged or stored. */
export function inspectHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'inspect.token' | 'inspect.diagnose' | 'inspect.saml'> {
  return {
    'inspect.token': (input) =>
      inspectToken(input, { now: input.now ?? ctx.clock.now(), fetch: outboundFor(ctx).fetch }),
    'inspect.diagnose': (input) => diagnose(input, { accounts: accountSettings(ctx.store.db) }),
    'inspect.saml': (input) => inspectSaml(ctx.store.db, input, ctx.clock.now()),
  };
}
