import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { keysOverview, revokeKey, rotateKey } from '../tokens/keys';
import { listPlatformSso, setPlatformSso } from '../tokens/settings';
import { botsWithTeams } from '../tokens/bots';
import { inspectToken, revokeFromConsole } from '../tokens/inspect';
import { tryIssue } from '../tokens/try-it';

type Names =
  | 'keys.list'
  | 'keys.rotate'
  | 'keys.revoke'
  | 'tokens.settings.list'
  | 'tokens.settings.set'
  | 'tokens.bots'
  | 'tokens.inspect'
  | 'tokens.revoke'
  | 'tokens.tryIt';

/** The console's side of Platform SSO: keys, per-account switches, the Inspector and Try it. */
export function platformSsoHandlers(ctx: EngineContext): Pick<Handlers, Names> {
  const { db } = ctx.store;
  return {
    'keys.list': () => keysOverview(db, ctx.clock.now()),
    'keys.rotate': (t) => rotateKey(db, t, ctx.clock.now()),
    'keys.revoke': (t) => revokeKey(db, t, ctx.clock.now()),
    'tokens.settings.list': () => listPlatformSso(db),
    'tokens.settings.set': (input) => setPlatformSso(db, input, ctx.clock.now()),
    'tokens.bots': () => botsWithTeams(db),
    'tokens.inspect': ({ input }) => inspectToken(ctx, input),
    'tokens.revoke': ({ input }) => revokeFromConsole(ctx, input),
    'tokens.tryIt': (input) => tryIssue(ctx, input),
  };
}
