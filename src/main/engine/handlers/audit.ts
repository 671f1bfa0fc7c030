import type { EngineContext } from '../context';
import type { Handlers } from '../dispatch';
import { auditFacets, getAuditEvent, queryAudit } from '../../store/audit';
import { notFound } from '../../../shared/errors';
import { exportAuditCsv } from '../audit/export';
import { getRetention, purgeExpired, setRetentionDays } from '../audit/retention';

type AuditHandlers = Pick<
  Handlers,
  'audit.list' | 'audit.get' | 'audit.facets' | 'audit.export' | 'audit.retention.get' | 'audit.retention.set'
>;

export function auditHandlers(ctx: EngineContext): AuditHandlers {
  const { db } = ctx.store;
  const row = ({ detail: _detail, ...rest }: ReturnType<typeof queryAudit>[number]) => rest;
  return {
    'audit.list': ({ filter, before, limit }) => {
      const events = queryAudit(db, filter, { limit, before });
      return { events: events.map(row), nextBefore: events.length === limit ? events[events.length - 1]!.id : null };
    },
    'audit.get': ({ id }) => {
      const e = getAuditEvent(db, id);
      if (!e) throw notFound(`no audit event ${id}`);
      return e;
    },
    'audit.facets': () => auditFacets(db),
    'audit.export': async ({ filter }) => {
      const { path, rows } = await exportAuditCsv(db, ctx.platform.dataDir, filter);
      const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return { rows, delivery: await ctx.platform.deliverFile(path, `sso-desk-audit-${stamp}.csv`, 'text/csv; charset=utf-8') };
    },
    'audit.retention.get': () => getRetention(db),
    'audit.retention.set': ({ days }) => {
      const before = getRetention(db).days;
      const state = setRetentionDays(db, days);
      void purgeExpired(db, ctx.clock).catch((e: unknown) => ctx.log(`[audit retention] ${(e as Error).message}`));
      ctx.audit({ kind: 'settings.change', actor: 'console', outcome: 'ok', reason: `audit retention: ${before ?? 'forever'} → ${days ?? 'forever'} days`, detail: { changes: [{ field: 'audit.retentionDays', old: before, new: days }] } });
      return state;
    },
  };
}
