import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditFilter, AuditRow } from '@shared/contract/audit';
import type { TraceStep } from '@shared/trace';
import { toHar } from '@shared/har';
import { Timeline } from '../components/Timeline';
import './tools.css';

type AuditFacets = {
  methods: string[];
  outcomes: string[];
  accounts: Array<{ id: string; name: string }>;
  actors: string[];
};
import { api } from '../api';
import { VirtualList } from './audit/VirtualList';
import { ChangesTable, changesOf } from './audit/ChangesTable';
import { isGoodOutcome } from '@shared/outcomes';
import { SimRunRecord } from '@shared/contract/simulator';
import { useDesk } from '../store';

const ROW = 34;
const PAGE = 200;

/** Full times: the date with the year and the time with seconds (an audit is read days later). */
const time = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

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

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function AuditScreen() {
  const [text, setText] = useState('');
  const [accountId, setAccountId] = useState('');
  const [method, setMethod] = useState('');
  const [outcome, setOutcome] = useState('');
  const [actor, setActor] = useState('');
  const [hideSimulator, setHideSimulator] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [facets, setFacets] = useState<AuditFacets>({ methods: [], outcomes: [], accounts: [], actors: [] });
  const [events, setEvents] = useState<AuditRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Detail | null>(null);
  const detailRef = useRef<HTMLElement>(null);
  const version = useDesk((st) => st.info?.version ?? 'dev');
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  const [retention, setRetention] = useState<{
    days: number | null;
    lastDeleted: number;
    lastRunAt: number | null;
  } | null>(null);
  const [retentionInput, setRetentionInput] = useState('');
  const query = useRef(0);

  const debouncedText = useDebounced(text, 250);
  const filter: AuditFilter = {
    ...(debouncedText ? { text: debouncedText } : {}),
    ...(accountId ? { accountId } : {}),
    ...(method ? { method } : {}),
    ...(outcome ? { outcome } : {}),
    ...(actor ? { actor } : {}),
    ...(hideSimulator ? { hideSimulator: true } : {}),
    ...(toMs(from) !== undefined ? { from: toMs(from) } : {}),
    ...(toMs(to) !== undefined ? { to: toMs(to) } : {}),
  };
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    void api.audit.facets().then((r) => r.ok && setFacets(r.value));
    void api.audit.retention.get().then((r) => {
      if (r.ok) {
        setRetention(r.value);
        setRetentionInput(r.value.days === null ? '' : String(r.value.days));
      }
    });
  }, []);

  useEffect(() => {
    const mine = ++query.current;
    void api.audit.list({ filter: JSON.parse(filterKey) as AuditFilter, limit: PAGE }).then((r) => {
      if (mine !== query.current) return;
      if (r.ok) {
        setEvents(r.value.events);
        setNext(r.value.nextBefore);
        setError(null);
      } else setError(r.error.message);
    });
  }, [filterKey]);

  const loadMore = useCallback(() => {
    if (next === null) return;
    const mine = query.current;
    void api.audit.list({ filter: JSON.parse(filterKey) as AuditFilter, before: next, limit: PAGE }).then((r) => {
      if (mine !== query.current || !r.ok) return;
      setEvents((old) => [...old, ...r.value.events]);
      setNext(r.value.nextBefore);
    });
  }, [next, filterKey]);

  const open = async (id: number) => {
    const r = await api.audit.get({ id });
    if (!r.ok) return setError(r.error.message);
    // The detail opens beside the list; focus moves to it (EventDetail focuses itself) so the keyboard follows.
    setSelected(r.value);
  };

  const exportCsv = async () => {
    setExportMsg('Exporting…');
    const r = await api.audit.export({ filter });
    if (!r.ok) return setExportMsg(r.error.message);
    const d = r.value.delivery;
    if (d.kind === 'download') {
      const a = document.createElement('a');
      a.href = d.url;
      a.download = d.name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setExportMsg(`Exported ${r.value.rows} events as ${d.name}.`);
    } else if (d.kind === 'saved') setExportMsg(`Exported ${r.value.rows} events to ${d.path}.`);
    else setExportMsg('Export cancelled.');
  };

  const saveRetention = async () => {
    const days = retentionInput.trim() === '' ? null : Number(retentionInput);
    const r = await api.audit.retention.set({ days });
    if (r.ok) setRetention(r.value);
    else setError(r.error.message);
  };

  return (
    <section aria-labelledby="audit-title" className="panel wide">
      <h1 id="audit-title">Audit</h1>
      <form className="filters" role="search" aria-label="Filter audit events" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="email, reason, kind…"
          />
        </label>
        <label>
          Account
          <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
            <option value="">Any</option>
            {facets.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Method
          <select value={method} onChange={(e) => setMethod(e.target.value)}>
            <option value="">Any</option>
            {facets.methods.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
            <option value="">Any</option>
            {facets.outcomes.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label>
          Actor
          <select value={actor} onChange={(e) => setActor(e.target.value)}>
            <option value="">Any</option>
            {facets.actors.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className="check" style={{ flexDirection: 'row', alignItems: 'center', color: 'var(--text)' }}>
          <input type="checkbox" checked={hideSimulator} onChange={(e) => setHideSimulator(e.target.checked)} />
          Hide Simulator runs
        </label>
        <label>
          From
          <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" onClick={() => void exportCsv()}>
          Export CSV
        </button>
      </form>
      {exportMsg && <p role="status">{exportMsg}</p>}
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
            renderRow={(e) => (
              <button
                className={`audit-row ${isGoodOutcome(e.outcome) ? 'good-row' : 'failed'}`}
                aria-label={`${e.kind} ${e.email ?? ''} ${e.outcome}`}
                aria-current={selected?.id === e.id ? 'true' : undefined}
                title={e.reason ?? ''}
                onClick={() => void open(e.id)}
              >
                <span>{time(e.at)}</span>
                <span>{e.kind}</span>
                <span>{e.accountName ?? e.accountId ?? '—'}</span>
                <span>{e.email ?? '—'}</span>
                <span>{e.actor ?? '—'}</span>
                <span>{e.method ?? '—'}</span>
                <span>{e.outcome}</span>
                <span>{e.reason ?? ''}</span>
              </button>
            )}
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
      <h2>Retention</h2>
      <label htmlFor="retention-days">Keep audit events for (days; empty = forever)</label>
      <input
        id="retention-days"
        inputMode="numeric"
        value={retentionInput}
        onChange={(e) => setRetentionInput(e.target.value)}
      />{' '}
      <button onClick={() => void saveRetention()}>Save retention</button>
      {retention && (
        <p role="status" aria-label="Retention status">
          Keeping {retention.days === null ? 'every event' : `${retention.days} days`}
          {retention.lastRunAt ? ` · last purge ${time(retention.lastRunAt)} removed ${retention.lastDeleted}` : ''}
        </p>
      )}
    </section>
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
    const blob = new Blob([JSON.stringify(har, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `sso-desk-audit-${e.id}.har`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setNote(`Exported ${har.log.entries.length} HTTP exchanges as ${a.download}.`);
  };
  return (
    <article ref={props.refEl} tabIndex={-1} aria-label="Audit event detail" className="card audit-detail">
      <h2>
        {e.kind} · {e.outcome}
      </h2>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{time(e.at)}</dd>
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
                  {r.kind} · {r.outcome} · {time(r.at)}
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
