import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditFilter, AuditRow } from '../../../shared/contract/audit';

type AuditFacets = { methods: string[]; outcomes: string[]; accounts: Array<{ id: string; name: string }>; actors: string[] };
import { api } from '../api';
import { VirtualList } from './audit/VirtualList';
import { isGoodOutcome } from '../../../shared/outcomes';
import { SimRunRecord } from '../../../shared/contract/simulator';
import { useDesk } from '../store';

const ROW = 34;
const PAGE = 200;

const time = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
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
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [facets, setFacets] = useState<AuditFacets>({ methods: [], outcomes: [], accounts: [], actors: [] });
  const [events, setEvents] = useState<AuditRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<(AuditRow & { detail: unknown }) | null>(null);
  const [exportMsg, setExportMsg] = useState<string | null>(null);
  const [retention, setRetention] = useState<{ days: number | null; lastDeleted: number; lastRunAt: number | null } | null>(null);
  const [retentionInput, setRetentionInput] = useState('');
  const query = useRef(0);

  const debouncedText = useDebounced(text, 250);
  const filter: AuditFilter = {
    ...(debouncedText ? { text: debouncedText } : {}),
    ...(accountId ? { accountId } : {}),
    ...(method ? { method } : {}),
    ...(outcome ? { outcome } : {}),
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
    if (r.ok) setSelected(r.value);
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
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="email, reason, kind…" />
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
      <div className="audit-head" aria-hidden="true">
        <span>Time</span>
        <span>Kind</span>
        <span>Account</span>
        <span>Email</span>
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
            onClick={() => void open(e.id)}
          >
            <span>{time(e.at)}</span>
            <span>{e.kind}</span>
            <span>{e.accountId ?? '—'}</span>
            <span>{e.email ?? '—'}</span>
            <span>{e.method ?? '—'}</span>
            <span>{e.outcome}</span>
            <span title={e.reason ?? ''}>{e.reason ?? ''}</span>
          </button>
        )}
      />
      <p className="muted" aria-live="polite">
        {events.length} events loaded{next !== null ? ' — scroll for more' : ''}.
      </p>
      {selected && (
        <article aria-label="Audit event detail" className="card">
          <h2>
            {selected.kind} · {selected.outcome}
          </h2>
          <dl className="facts">
            <dt>Time</dt>
            <dd>{time(selected.at)}</dd>
            <dt>Account</dt>
            <dd>{selected.accountId ?? '—'}</dd>
            <dt>Email</dt>
            <dd>{selected.email ?? '—'}</dd>
            <dt>Actor</dt>
            <dd>{selected.actor ?? '—'}</dd>
            <dt>Method</dt>
            <dd>{selected.method ?? '—'}</dd>
            <dt>Reason</dt>
            <dd>{selected.reason ?? '—'}</dd>
            <dt>Duration</dt>
            <dd>{selected.durationMs === null ? '—' : `${selected.durationMs} ms`}</dd>
          </dl>
          {selected.kind === 'simulation.run' && <RerunButton detail={selected.detail} />}
          {selected.detail !== null && selected.detail !== undefined && <pre className="detail">{JSON.stringify(selected.detail, null, 2)}</pre>}
        </article>
      )}
      <h2>Retention</h2>
      <label htmlFor="retention-days">Keep audit events for (days; empty = forever)</label>
      <input id="retention-days" inputMode="numeric" value={retentionInput} onChange={(e) => setRetentionInput(e.target.value)} />{' '}
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

/** A saved Simulator run opens the Simulator prefilled (the password is never saved: it is typed again). */
function RerunButton({ detail }: { detail: unknown }) {
  const input = SimRunRecord.safeParse((detail as { input?: unknown } | null)?.input);
  if (!input.success) return null;
  return (
    <p>
      <button type="button" onClick={() => useDesk.getState().rerun(input.data)}>
        Re-run in Simulator
      </button>
    </p>
  );
}
