import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { auditEventsOfRun, auditFacets, getAuditEvent, queryAudit, type AuditEvent } from '../../store/audit';
import { listAccounts } from '../../store/accounts';
import { notFound } from '@shared/errors';
import { exportAuditCsv } from '../audit/export';
import { getRetention, setRetentionDays } from '../audit/retention';
import { purgeAudit } from '../maintenance/maintenance';

type AuditHandlers = Pick<
  Handlers,
  'audit.list' | 'audit.get' | 'audit.facets' | 'audit.export' | 'audit.retention.get' | 'audit.retention.set'
>;

export function auditHandlers(ctx: EngineContext): AuditHandlers {
  const { db } = ctx.store;
  // Accounts are few: one read per request names every row's account.
  const names = (): Map<string, string> => new Map(listAccounts(db).map((a) => [a.id, a.name]));
  const row =
    (n: Map<string, string>) =>
    ({ detail: _detail, ...rest }: AuditEvent) => ({
      ...rest,
      accountName: rest.accountId === null ? null : (n.get(rest.accountId) ?? null),
    });
  return {
    'audit.list': ({ filter, before, limit }) => {
      const events = queryAudit(db, filter, { limit, before });
      return {
        events: events.map(row(names())),
        nextBefore: events.length === limit ? events[events.length - 1]!.id : null,
      };
    },
    'audit.get': ({ id }) => {
      const e = getAuditEvent(db, id);
      if (!e) throw notFound(`no audit event ${id}`);
      const n = names();
      const related = e.runId === null ? [] : auditEventsOfRun(db, e.runId).filter((x) => x.id !== e.id);
      return { ...row(n)(e), detail: e.detail, related: related.map(row(n)) };
    },
    'audit.facets': () => {
      const f = auditFacets(db);
      const n = names();
      return { ...f, accounts: f.accounts.map((id) => ({ id, name: n.get(id) ?? id })) };
    },
    'audit.export': async ({ filter }) => {
      const { path, rows } = await exportAuditCsv(db, ctx.platform.dataDir, filter);
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return {
        rows,
        delivery: await ctx.platform.deliverFile(path, `sso-desk-audit-${stamp}.csv`, 'text/csv; charset=utf-8'),
      };
    },
    'audit.retention.get': () => getRetention(db),
    'audit.retention.set': ({ days }) => {
      const before = getRetention(db).days;
      const state = setRetentionDays(db, days);
      void purgeAudit(db, ctx.clock).catch((e: unknown) => ctx.log(`[audit retention] ${(e as Error).message}`));
      ctx.audit({
        kind: 'settings.change',
        actor: 'console',
        outcome: 'ok',
        reason: `audit retention: ${before ?? 'forever'} → ${days ?? 'forever'} days`,
        detail: { changes: [{ field: 'audit.retentionDays', old: before, new: days }] },
      });
      return state;
    },
  };
}
