import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { getSigninEvent, querySigninLog, signinFacets } from '../../store/signin-log';
import { listAccounts } from '../../store/accounts';
import { notFound } from '@shared/errors';
import { signinMethodLabel } from '@shared/signin-log';
import { rerunOf, signinRow, stepsOf } from '../signin-log/rows';

type SigninHandlers = Pick<Handlers, 'signins.list' | 'signins.get' | 'signins.facets'>;

/** Sign-in logs: the audit log's sign-in events, one row per attempt, in words. */
export function signinLogHandlers(ctx: EngineContext): SigninHandlers {
  const { db } = ctx.store;
  // Accounts are few: one read per request names every row's account.
  const names = (): Map<string, string> => new Map(listAccounts(db).map((a) => [a.id, a.name]));
  const nameOf = (n: Map<string, string>, id: string | null) => (id === null ? null : (n.get(id) ?? null));
  return {
    'signins.list': ({ filter, before, limit }) => {
      const events = querySigninLog(db, filter, { limit, before });
      const n = names();
      return {
        rows: events.map((e) => signinRow(e, nameOf(n, e.accountId))),
        nextBefore: events.length === limit ? events[events.length - 1]!.id : null,
      };
    },
    'signins.get': ({ id }) => {
      const e = getSigninEvent(db, id);
      if (!e) throw notFound(`no sign-in attempt ${id}`);
      return { ...signinRow(e, nameOf(names(), e.accountId)), steps: stepsOf(e), rerun: rerunOf(e) };
    },
    'signins.facets': () => {
      const f = signinFacets(db);
      const n = names();
      return {
        methods: f.methods.map((id) => ({ id, label: signinMethodLabel(id) })),
        accounts: f.accounts.map((id) => ({ id, name: n.get(id) ?? id })),
      };
    },
  };
}
