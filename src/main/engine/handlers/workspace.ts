import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { listAccounts, listMembers } from '../../store/accounts';
import { listBots } from '../../store/bots';
import { listDemoCredentials } from '../../store/demo-credentials';
import { importWorkspace } from '../workspace/import';
import { reloadThrottle } from '../passthrough/service';
import { resetOutbound } from '../network/outbound';
import { exportFileName, exportWorkspace, writeExportFile } from '../workspace/export';

export function workspaceHandlers(
  ctx: EngineContext,
): Pick<Handlers, 'workspace.import' | 'workspace.export' | 'workspace.accounts' | 'workspace.demoCredentials'> {
  const { db } = ctx.store;
  return {
    'workspace.import': async (input) => {
      const summary = await importWorkspace(db, ctx.platform.secrets, input.text, {
        replace: input.replace,
        now: ctx.clock.now(),
        passphrase: input.passphrase,
      });
      // The file may carry login protection and network settings: the running services take them now.
      reloadThrottle(ctx);
      resetOutbound(ctx);
      return summary;
    },
    'workspace.export': async (input) => {
      const now = ctx.clock.now();
      const passphrase = input.includeSecrets ? input.passphrase : undefined;
      const ws = await exportWorkspace(db, ctx.platform.secrets, { passphrase, now, version: ctx.version });
      const path = writeExportFile(ctx.platform.dataDir, ws);
      const name = exportFileName(now, ws.secrets !== undefined);
      const delivery = await ctx.platform.deliverFile(path, name, 'application/json');
      return {
        accounts: ws.accounts.length,
        users: ws.users.length,
        bots: ws.bots.length,
        secrets: ws.secrets ? ('encrypted' as const) : ('left out' as const),
        leftOut: ws.exported?.leftOut ?? [],
        delivery,
      };
    },
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
