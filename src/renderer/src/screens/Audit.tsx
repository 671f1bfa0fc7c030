import { useEffect, useRef, useState } from 'react';
import { FilterChoice, TimeRange, asOptions } from '@renderer/components/FilterFields';
import { download, downloadText } from '@renderer/components/download';
import type { AuditFilter, AuditRow } from '@shared/contract/audit';
import type { TraceStep } from '@shared/trace';
import { toHar } from '@shared/har';
import { Timeline } from '../components/Timeline';
import { usePagedList } from '../components/usePagedList';
import { useDebounced } from '../components/useDebounced';
import { api } from '../api';
import { VirtualList } from './audit/VirtualList';
import { ChangesTable, changesOf } from './audit/ChangesTable';
import { isGoodOutcome } from '@shared/outcomes';
import { SimRunRecord } from '@shared/contract/simulator';
import { useDesk } from '../store';
import { When, shortTime } from '../components/When';
import './tools.css';

const ROW = 34;
const PAGE = 200;

type AuditFacets = {
  methods: string[];
  outcomes: string[];
  accounts: Array<{ id: string; name: string }>;
  actors: string[];
};
type Detail = AuditRow & { detail: unknown; related: AuditRow[] };

/** The steps an event's detail carries: a saved run's `steps`, a login's `trace`. */
function stepsOf(detail: unknown): TraceStep[] | null {
  const d = detail as { steps?: unknown; trace?: unknown } | null;
  const steps = Array.isArray(d?.steps) ? d.steps : Array.isArray(d?.trace) ? d.trace : null;
  return steps && steps.every((s) => typeof s === 'object' && s !== null && 'step' in s && 'outcome' in s)
    ? (steps as TraceStep[])
    : null;
}
const toMs = (local: string): number | undefined => (local ? new Date(local).getTime() : undefined);

/** The filter form's fields, as typed (dates as `datetime-local` text). */
type FilterFields = {
  text: string;
  accountId: string;
  method: string;
  outcome: string;
  actor: string;
  hideSimulator: boolean;
  from: string;
  to: string;
};
const NO_FILTER: FilterFields = {
  text: '',
  accountId: '',
  method: '',
  outcome: '',
  actor: '',
  hideSimulator: false,
  from: '',
  to: '',
};

function toFilter(f: FilterFields, text: string): AuditFilter {
  return {
    ...(text ? { text } : {}),
    ...(f.accountId ? { accountId: f.accountId } : {}),
    ...(f.method ? { method: f.method } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.actor ? { actor: f.actor } : {}),
    ...(f.hideSimulator ? { hideSimulator: true } : {}),
    ...(toMs(f.from) !== undefined ? { from: toMs(f.from) } : {}),
    ...(toMs(f.to) !== undefined ? { to: toMs(f.to) } : {}),
  };
}

export function AuditScreen() {
  const [fields, setFields] = useState<FilterFields>(NO_FILTER);
  const [selected, setSelected] = useState<Detail | null>(null);
  const detailRef = useRef<HTMLElement>(null);
  const version = useDesk((st) => st.info?.version ?? 'dev');

  // The search box waits for a pause in typing; the selects apply at once.
  const debouncedText = useDebounced(fields.text, 250);
  const filter = toFilter(fields, debouncedText);
  const filterKey = JSON.stringify(filter);
  const {
    items: events,
    next,
    error,
    setError,
    loadMore,
  } = usePagedList<AuditFilter, AuditRow>(filterKey, async (f, before) => {
    const r = await api.audit.list({ filter: f, limit: PAGE, ...(before !== undefined ? { before } : {}) });
    return r.ok ? { ok: true, value: { items: r.value.events, nextBefore: r.value.nextBefore } } : r;
  });

  const open = async (id: number) => {
    const r = await api.audit.get({ id });
    if (!r.ok) return setError(r.error.message);
    // The detail opens beside the list; focus moves to it (EventDetail focuses itself) so the keyboard follows.
    setSelected(r.value);
  };

  return (
    <section aria-labelledby="audit-title" className="panel wide">
      <h1 id="audit-title">Audit</h1>
      <AuditFilters fields={fields} onChange={(patch) => setFields((f) => ({ ...f, ...patch }))} filter={filter} />
      {error && <p role="alert">{error}</p>}
      <div className={`audit-split${selected ? '' : ' closed'}`}>
        <div className="audit-list">
          <div className="audit-head" aria-hidden="true">
            <span>Time</span>
            <span>Kind</span>
            <span>Account</span>
            <span>Email</span>
            <span>Actor</span>
            <span>Method</span>
            <span>Outcome</span>
            <span>Reason</span>
          </div>
          <VirtualList
            items={events}
            rowHeight={ROW}
            height={420}
            label="Audit events"
            onNearEnd={loadMore}
            renderRow={(e) => <AuditListRow event={e} current={selected?.id === e.id} onOpen={() => void open(e.id)} />}
          />
          <p className="muted" aria-live="polite">
            {events.length} events loaded{next !== null ? ' — scroll for more' : ''}.
          </p>
        </div>
        {selected && (
          <EventDetail
            detail={selected}
            version={version}
            refEl={detailRef}
            onOpen={(id) => void open(id)}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
      <AuditRetention />
    </section>
  );
}

function AuditListRow({ event: e, current, onOpen }: { event: AuditRow; current: boolean; onOpen: () => void }) {
  return (
    <button
      className={`audit-row ${isGoodOutcome(e.outcome) ? 'good-row' : 'failed'}`}
      aria-label={`${e.kind} ${e.email ?? ''} ${e.outcome}`}
      aria-current={current ? 'true' : undefined}
      title={e.reason ?? ''}
      onClick={onOpen}
    >
      <span>
        <When at={e.at} />
      </span>
      <span>{e.kind}</span>
      <span>{e.accountName ?? e.accountId ?? '—'}</span>
      <span>{e.email ?? '—'}</span>
      <span>{e.actor ?? '—'}</span>
      <span>{e.method ?? '—'}</span>
      <span>{e.outcome}</span>
      <span>{e.reason ?? ''}</span>
    </button>
  );
}

/** The filter form, its choices read from what the audit holds, and the CSV export of what it selects. */
function AuditFilters(props: {
  fields: FilterFields;
  onChange: (patch: Partial<FilterFields>) => void;
  filter: AuditFilter;
}) {
  const { fields: f, onChange } = props;
  const [facets, setFacets] = useState<AuditFacets>({ methods: [], outcomes: [], accounts: [], actors: [] });
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  useEffect(() => {
    void api.audit.facets().then((r) => r.ok && setFacets(r.value));
  }, []);

  const exportCsv = async () => {
    setExportMsg('Exporting…');
    const r = await api.audit.export({ filter: props.filter });
    if (!r.ok) return setExportMsg(r.error.message);
    const d = r.value.delivery;
    if (d.kind === 'download') {
      download(d.url, d.name);
      setExportMsg(`Exported ${r.value.rows} events as ${d.name}.`);
    } else if (d.kind === 'saved') setExportMsg(`Exported ${r.value.rows} events to ${d.path}.`);
    else setExportMsg('Export cancelled.');
  };

  return (
    <>
      <form className="filters" role="search" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input
            type="search"
            value={f.text}
            onChange={(e) => onChange({ text: e.target.value })}
            placeholder="email, reason, kind…"
          />
        </label>
        <FilterChoice
          label="Account"
          value={f.accountId}
          options={facets.accounts.map((a) => ({ value: a.id, label: a.name }))}
          onChange={(accountId) => onChange({ accountId })}
        />
        <FilterChoice
          label="Method"
          value={f.method}
          options={asOptions(facets.methods)}
          onChange={(method) => onChange({ method })}
        />
        <FilterChoice
          label="Outcome"
          value={f.outcome}
          options={asOptions(facets.outcomes)}
          onChange={(outcome) => onChange({ outcome })}
        />
        <FilterChoice
          label="Actor"
          value={f.actor}
          options={asOptions(facets.actors)}
          onChange={(actor) => onChange({ actor })}
        />
        <label className="check" style={{ flexDirection: 'row', alignItems: 'center', color: 'var(--text)' }}>
          <input
            type="checkbox"
            checked={f.hideSimulator}
            onChange={(e) => onChange({ hideSimulator: e.target.checked })}
          />
          Hide Simulator runs
        </label>
        <TimeRange from={f.from} to={f.to} onChange={onChange} />
        <button type="button" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </form>
      {exportMsg && <p role="status">{exportMsg}</p>}
    </>
  );
}

/** How long the audit keeps events, and what the last purge removed. */
function AuditRetention() {
  const [retention, setRetention] = useState<{
    days: number | null;
    lastDeleted: number;
    lastRunAt: number | null;
  } | null>(null);
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.audit.retention.get().then((r) => {
      if (r.ok) {
        setRetention(r.value);
        setInput(r.value.days === null ? '' : String(r.value.days));
      }
    });
  }, []);

  const save = async () => {
    const days = input.trim() === '' ? null : Number(input);
    const r = await api.audit.retention.set({ days });
    if (r.ok) {
      setRetention(r.value);
      setError(null);
    } else setError(r.error.message);
  };

  return (
    <>
      <h2>Retention</h2>
      <label htmlFor="retention-days">Keep audit events for (days; empty = forever)</label>
      <input id="retention-days" inputMode="numeric" value={input} onChange={(e) => setInput(e.target.value)} />{' '}
      <button onClick={() => void save()}>Save retention</button>
      {error && <p role="alert">{error}</p>}
      {retention && (
        <p role="status" aria-label="Retention status">
          Keeping {retention.days === null ? 'every event' : `${retention.days} days`}
          {retention.lastRunAt
            ? ` · last purge ${shortTime(retention.lastRunAt)} removed ${retention.lastDeleted}`
            : ''}
        </p>
      )}
    </>
  );
}

function EventDetail(props: {
  detail: Detail;
  version: string;
  refEl: React.RefObject<HTMLElement | null>;
  onOpen: (id: number) => void;
  onClose: () => void;
}) {
  const e = props.detail;
  const steps = stepsOf(e.detail);
  const changes = changesOf(e.detail);
  const { refEl } = props;
  useEffect(() => {
    refEl.current?.focus();
  }, [e.id, refEl]);
  const [note, setNote] = useState<string | null>(null);
  const exportHar = () => {
    if (!steps) return;
    const har = toHar({ startedAt: e.at, title: `${e.kind} ${e.email ?? ''}`.trim(), steps }, props.version);
    const name = `sso-desk-audit-${e.id}.har`;
    downloadText(JSON.stringify(har, null, 2), 'application/json', name);
    setNote(`Exported ${har.log.entries.length} HTTP exchanges as ${name}.`);
  };
  return (
    <article ref={props.refEl} tabIndex={-1} aria-label="Audit event detail" className="card audit-detail">
      <h2>
        {e.kind} · {e.outcome}
      </h2>
      <dl className="facts">
        <dt>Time</dt>
        <dd>
          <When at={e.at} />
        </dd>
        <dt>Account</dt>
        <dd>{e.accountName ?? e.accountId ?? '—'}</dd>
        <dt>Email</dt>
        <dd>{e.email ?? '—'}</dd>
        <dt>Actor</dt>
        <dd>{e.actor ?? '—'}</dd>
        <dt>Method</dt>
        <dd>{e.method ?? '—'}</dd>
        <dt>Reason</dt>
        <dd>{e.reason ?? '—'}</dd>
        <dt>Duration</dt>
        <dd>{e.durationMs === null ? '—' : `${e.durationMs} ms`}</dd>
      </dl>
      {e.related.length > 0 && (
        <section aria-label={e.kind === 'simulation.run' ? 'Events this run caused' : 'Simulator run'}>
          <h3>{e.kind === 'simulation.run' ? 'Events this run caused' : 'Caused by a Simulator run'}</h3>
          <ul>
            {e.related.map((r) => (
              <li key={r.id}>
                <button type="button" onClick={() => props.onOpen(r.id)}>
                  {r.kind} · {r.outcome} · <When at={r.at} />
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        {e.kind === 'simulation.run' && <RerunButton detail={e.detail} />}
        {steps && steps.some((st) => st.http) && (
          <button type="button" onClick={exportHar}>
            Export HAR
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </p>
      {note && <p role="status">{note}</p>}
      {changes && <ChangesTable changes={changes} />}
      {steps && <Timeline steps={steps} label="Timeline" />}
      {e.detail !== null && e.detail !== undefined && (
        <details>
          <summary>Raw detail (JSON)</summary>
          <pre className="detail">{JSON.stringify(e.detail, null, 2)}</pre>
        </details>
      )}
    </article>
  );
}

/** A saved Simulator run opens the Simulator prefilled (the password is never saved: it is typed again). */
function RerunButton({ detail }: { detail: unknown }) {
  const input = SimRunRecord.safeParse((detail as { input?: unknown } | null)?.input);
  if (!input.success) return null;
  return (
    <button type="button" onClick={() => useDesk.getState().rerun(input.data)}>
      Re-run in Simulator
    </button>
  );
}
