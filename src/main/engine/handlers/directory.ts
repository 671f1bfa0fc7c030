import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import * as dir from '../directory/directory';
import { authService } from '../passthrough/service';
import { lockoutsOf } from '../passthrough/user-lockouts';

type Names = Extract<keyof Handlers, `directory.${string}`>;

/** The console's directory: accounts, users, memberships, bots, teams and the user page. */
export function directoryHandlers(ctx: EngineContext): Pick<Handlers, Names> {
  const { db } = ctx.store;
  const d: dir.DirectoryDeps = { db, now: () => ctx.clock.now() };
  return {
    'directory.accounts.list': () => dir.listDirectoryAccounts(db),
    'directory.accounts.create': (input) => dir.createAccount(d, input),
    'directory.accounts.update': (input) => dir.updateAccount(d, input),
    'directory.accounts.impact': ({ id }) => dir.accountImpact(db, id, ctx.clock.now()),
    'directory.accounts.delete': ({ id }) => dir.removeAccount(d, id),
    'directory.users.list': () => dir.listDirectoryUsers(db),
    'directory.users.create': (input) => dir.createUser(d, input),
    'directory.users.update': (input) => dir.updateDirectoryUser(d, input),
    'directory.users.setPassword': (input) => dir.setUserPassword(d, input),
    'directory.users.delete': ({ email }) => dir.removeUser(d, email),
    'directory.memberships.list': ({ id }) => dir.listDirectoryMembers(db, id),
    'directory.memberships.add': (input) => dir.addMembership(d, input),
    'directory.memberships.update': (input) => dir.changeRole(d, input),
    'directory.memberships.remove': (input) => dir.removeMembership(d, input),
    'directory.memberships.setStatus': (input) => dir.setMemberStatus(d, input),
    'directory.bots.list': () => dir.listDirectoryBots(db),
    'directory.bots.create': (input) => dir.createBot(d, input),
    'directory.bots.update': (input) => dir.updateDirectoryBot(d, input),
    'directory.bots.delete': ({ id }) => dir.removeBot(d, id),
    'directory.bots.generateKeys': ({ id }) => dir.generateBotKeys(d, id),
    'directory.team.set': (input) => dir.setTeam(d, input),
    'directory.team.remove': (input) => dir.removeTeam(d, input),
    'directory.user.get': ({ email }) => {
      const page = dir.userPage(db, email, ctx.clock.now());
      return { ...page, lockouts: lockoutsOf(authService(ctx).throttle, page.user.email, ctx.clock.now()) };
    },
    'directory.user.unlock': ({ email }) => {
      const page = dir.userPage(db, email, ctx.clock.now());
      const cleared = authService(ctx).throttle.clearEmail(page.user.email);
      ctx.audit({
        kind: 'auth.unlock',
        actor: 'console',
        email: page.user.email,
        method: 'password',
        outcome: cleared.length ? 'ok' : 'unchanged',
        reason: cleared.length
          ? `cleared every login-protection count of ${page.user.email} (${cleared.length} key${cleared.length === 1 ? '' : 's'})`
          : `nothing to clear for ${page.user.email}`,
        detail: { keys: cleared },
      });
      return { cleared };
    },
    'directory.user.endSession': (input) => dir.endUserSession(d, input),
    'directory.user.revokeDeepLink': (input) => dir.revokeUserDeepLink(d, input),
  };
}
