import { useEffect, useRef, useState } from 'react';
import { FilterChoice, TimeRange } from '@renderer/components/FilterFields';
import type { SigninFilter, SigninRow } from '@shared/contract/signin-log';
import type { SimRunRecord } from '@shared/contract/simulator';
import type { TraceStep } from '@shared/trace';
import { usePagedList } from '../components/usePagedList';
import { useDebounced } from '../components/useDebounced';
import { api } from '../api';
import { useDesk } from '../store';
import { Timeline } from '../components/Timeline';
import { When, exactTime } from '../components/When';
import { VirtualList } from './audit/VirtualList';
import { UserPage } from './settings/directory/UserPage';
import './tools.css';
import './signins/signins.css';

const ROW = 34;
const PAGE = 200;

type Detail = SigninRow & { steps: TraceStep[]; rerun: SimRunRecord | null };
type Facets = { methods: Array<{ id: string; label: string }>; accounts: Array<{ id: string; name: string }> };

const toMs = (local: string): number | undefined => (local ? new Date(local).getTime() : undefined);

/** The filter form's fields, as typed (dates as `datetime-local` text). */
type FilterFields = {
  email: string;
  accountId: string;
  method: string;
  result: '' | 'success' | 'failure';
  who: '' | 'users' | 'simulator';
  from: string;
  to: string;
};
const NO_FILTER: FilterFields = { email: '', accountId: '', method: '', result: '', who: '', from: '', to: '' };

function toFilter(f: FilterFields, email: string): SigninFilter {
  return {
    ...(email ? { email } : {}),
    ...(f.accountId ? { accountId: f.accountId } : {}),
    ...(f.method ? { method: f.method } : {}),
    ...(f.result ? { result: f.result } : {}),
    ...(f.who ? { simulator: f.who === 'simulator' } : {}),
    ...(toMs(f.from) !== undefined ? { from: toMs(f.from) } : {}),
    ...(toMs(f.to) !== undefined ? { to: toMs(f.to) } : {}),
  };
}

/**
 * Sign-in logs: who tried to sign in, how, and why it failed — one row per attempt on every path, with
 * filters, a detail beside the list (the steps), and from there the user's page or a Simulator re-run.
 */
export function SigninLogsScreen() {
  const [fields, setFields] = useState<FilterFields>(NO_FILTER);
  const [selected, setSelected] = useState<Detail | null>(null);
  const [userPage, setUserPage] = useState<string | null>(null);
  const detailRef = useRef<HTMLElement>(null);

  const debouncedEmail = useDebounced(fields.email.trim(), 300);
  const filterKey = JSON.stringify(toFilter(fields, debouncedEmail));
  const {
    items: rows,
    next,
    error,
    setError,
    loaded,
    loadMore,
  } = usePagedList<SigninFilter, SigninRow>(filterKey, async (f, before) => {
    const r = await api.signins.list({ filter: f, limit: PAGE, ...(before !== undefined ? { before } : {}) });
    return r.ok ? { ok: true, value: { items: r.value.rows, nextBefore: r.value.nextBefore } } : r;
  });

  const open = async (id: number) => {
    const r = await api.signins.get({ id });
    if (!r.ok) return setError(r.error.message);
    setSelected(r.value);
  };

  if (userPage)
    return (
      <section aria-label="User page" className="panel wide">
        <UserPage email={userPage} onClose={() => setUserPage(null)} />
      </section>
    );

  return (
    <section aria-labelledby="signins-title" className="panel wide">
      <h1 id="signins-title">Sign-in logs</h1>
      <p className="muted">
        Every sign-in attempt: password, external authentication, SSO, Platform SSO links and the Simulator&apos;s runs.
        Open one for its steps.
      </p>
      <SigninFilters fields={fields} onChange={(patch) => setFields((f) => ({ ...f, ...patch }))} />
      {error && <p role="alert">{error}</p>}
      <div className={`audit-split${selected ? '' : ' closed'}`}>
        <div className="signin-list">
          <div className="audit-head" aria-hidden="true">
            <span>Time</span>
            <span>User</span>
            <span>Account</span>
            <span>Method</span>
            <span>Result</span>
            <span>Reason</span>
          </div>
          <VirtualList
            items={rows}
            rowHeight={ROW}
            height={420}
            label="Sign-in attempts"
            onNearEnd={loadMore}
            renderRow={(r) => <SigninListRow row={r} current={selected?.id === r.id} onOpen={() => void open(r.id)} />}
          />
          <p className="muted" aria-live="polite">
            {!loaded
              ? 'Loading…'
              : rows.length === 0
                ? 'No sign-in attempts match these filters.'
                : `${rows.length} attempts shown${next !== null ? ' — scroll for more' : ''}.`}
          </p>
        </div>
        {selected && (
          <SigninDetail
            detail={selected}
            refEl={detailRef}
            onUser={(e) => setUserPage(e)}
            onClose={() => setSelected(null)}
          />
        )}
      </div>
    </section>
  );
}

function SigninListRow({ row: r, current, onOpen }: { row: SigninRow; current: boolean; onOpen: () => void }) {
  return (
    <button
      className={`audit-row ${r.result === 'success' ? 'good-row' : 'failed'}`}
      aria-label={
        `${r.email ?? 'Unknown user'}, ${r.methodLabel}, ${r.result === 'success' ? 'success' : 'failure'}, ` +
        `${exactTime(r.at)}${r.simulator ? ', Simulator run' : ''}`
      }
      aria-current={current ? 'true' : undefined}
      title={r.reason ?? ''}
      onClick={onOpen}
    >
      <span>
        <When at={r.at} />
      </span>
      <span>{r.email ?? '—'}</span>
      <span>{r.accountName ?? r.accountId ?? '—'}</span>
      <span>
        {r.methodLabel}
        {r.simulator ? ' · Simulator' : ''}
      </span>
      <span>{r.result === 'success' ? 'Success' : 'Failure'}</span>
      <span>{r.reason ?? ''}</span>
    </button>
  );
}

/** The filter form; its account and method choices are read from what the log holds. */
function SigninFilters({
  fields: f,
  onChange,
}: {
  fields: FilterFields;
  onChange: (p: Partial<FilterFields>) => void;
}) {
  const [facets, setFacets] = useState<Facets>({ methods: [], accounts: [] });
  useEffect(() => {
    void api.signins.facets().then((r) => r.ok && setFacets(r.value));
  }, []);
  return (
    <form className="filters" role="search" aria-label="Filter sign-ins" onSubmit={(e) => e.preventDefault()}>
      <label>
        User
        <input
          type="search"
          value={f.email}
          onChange={(e) => onChange({ email: e.target.value })}
          placeholder="ann@acme.test"
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
        options={facets.methods.map((m) => ({ value: m.id, label: m.label }))}
        onChange={(method) => onChange({ method })}
      />
      <label>
        Result
        <select value={f.result} onChange={(e) => onChange({ result: e.target.value as FilterFields['result'] })}>
          <option value="">Any</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </select>
      </label>
      <label>
        Made by
        <select value={f.who} onChange={(e) => onChange({ who: e.target.value as FilterFields['who'] })}>
          <option value="">Users and the Simulator</option>
          <option value="users">Users only</option>
          <option value="simulator">Simulator runs only</option>
        </select>
      </label>
      <TimeRange from={f.from} to={f.to} onChange={onChange} />
    </form>
  );
}

function SigninDetail(props: {
  detail: Detail;
  refEl: React.RefObject<HTMLElement | null>;
  onUser: (email: string) => void;
  onClose: () => void;
}) {
  const d = props.detail;
  const { refEl } = props;
  // The detail opens beside the list and takes the focus, so the keyboard follows.
  useEffect(() => {
    refEl.current?.focus();
  }, [d.id, refEl]);
  const rerun = d.rerun;
  return (
    <article ref={refEl} tabIndex={-1} aria-label="Sign-in attempt" className="card audit-detail">
      <h2>
        {d.result === 'success' ? 'Signed in' : 'Sign-in failed'} · {d.email ?? 'unknown user'}
      </h2>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{exactTime(d.at)}</dd>
        <dt>User</dt>
        <dd>{d.email ?? '—'}</dd>
        <dt>Account</dt>
        <dd>{d.accountName ?? d.accountId ?? '—'}</dd>
        <dt>Method</dt>
        <dd>{d.methodLabel}</dd>
        <dt>Identity provider</dt>
        <dd>{d.idp ?? '—'}</dd>
        <dt>Result</dt>
        <dd className={d.result === 'success' ? 'good' : 'bad'}>{d.result === 'success' ? 'Success' : 'Failure'}</dd>
        <dt>Reason</dt>
        <dd>{d.reason ?? '—'}</dd>
        <dt>Error code</dt>
        <dd>{d.errorCode ?? '—'}</dd>
        <dt>Correlation ID</dt>
        <dd>
          <code>{d.correlationId}</code>
        </dd>
        <dt>Made by</dt>
        <dd>{d.simulator ? 'A Simulator run (support)' : 'The user'}</dd>
        <dt>Duration</dt>
        <dd>{d.durationMs === null ? '—' : `${d.durationMs} ms`}</dd>
      </dl>
      <p className="signin-actions">
        {d.email && (
          <button type="button" onClick={() => props.onUser(d.email!)}>
            Open user page
          </button>
        )}
        {rerun && (
          <button type="button" onClick={() => useDesk.getState().rerun(rerun)}>
            Re-run in Simulator
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </p>
      {d.steps.length > 0 ? (
        <Timeline steps={d.steps} label="Steps" />
      ) : (
        <p className="muted">This attempt kept no steps.</p>
      )}
    </article>
  );
}
