import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { inspectToken } from '../inspect/jwt-inspect';
import { outboundFor } from '../network/outbound';
import { inspectSaml } from '../saml/inspect';

/** Inspector channels: token decoding and verification. The token is never logged. */
export function inspectHandlers(ctx: EngineContext): Pick<Handlers, 'inspect.token' | 'inspect.saml'> {
  return {
    'inspect.token': (input) =>
      inspectToken(input, { now: input.now ?? ctx.clock.now(), fetch: outboundFor(ctx).fetch }),
    'inspect.saml': (input) => inspectSaml(ctx.store.db, input, ctx.clock.now()),
  };
}
