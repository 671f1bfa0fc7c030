import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { inspectToken } from '../inspect/jwt-inspect';
import { outboundFor } from '../network/outbound';

/** Inspector channels: token decoding and verification. The token is never logged. */
export function inspectHandlers(ctx: EngineContext): Pick<Handlers, 'inspect.token'> {
  return {
    'inspect.token': (input) =>
      inspectToken(input, { now: input.now ?? ctx.clock.now(), fetch: outboundFor(ctx).fetch }),
  };
}
