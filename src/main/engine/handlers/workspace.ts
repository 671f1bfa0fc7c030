import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { listAccounts, listMembers } from '../../store/accounts';
import { listBots } from '../../store/bots';
import { listDemoCredentials } from '../../store/demo-credentials';
import { importWorkspace } from '../workspace/import';

export function workspaceHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'workspace.import' | 'workspace.accounts' | 'workspace.demoCredentials'> {
  const { db } = ctx.store;
  return {
    'workspace.import': (input) =>
      importWorkspace(db, ctx.platform.secrets, input.text, { replace: input.replace, now: ctx.clock.now() }),
    'workspace.accounts': () =>
      listAccounts(db).map((a) => ({
        id: a.id,
        name: a.name,
        plan: a.plan,
        packages: a.packages,
        embeddable: a.embeddable,
        members: listMembers(db, a.id).map((m) => ({ email: m.email, name: m.name, role: m.role })),
        bots: listBots(db, a.id).map((b) => ({ id: b.id, name: b.name, owner: b.ownerEmail })),
      })),
    'workspace.demoCredentials': () =>
      listDemoCredentials(db).map((c) => ({
        label: c.label,
        account: c.accountId,
        bot: c.botId,
        kind: c.kind,
        value: ctx.platform.secrets.decrypt(c.valueEnc),
      })),
  };
}
