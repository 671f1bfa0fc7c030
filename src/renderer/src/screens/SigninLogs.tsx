import { useCallback, useEffect, useRef, useState } from 'react';
import type { SigninFilter, SigninRow } from '@shared/contract/signin-log';
import type { SimRunRecord } from '@shared/contract/simulator';
import type { TraceStep } from '@shared/trace';
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

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Sign-in logs: who tried to sign in, how, and why it failed — one row per attempt on every path, with
 * filters, a detail beside the list (the steps), and from there the user's page or a Simulator re-run.
 */
export function SigninLogsScreen() {
  const [email, setEmail] = useState('');
  const [accountId, setAccountId] = useState('');
  const [method, setMethod] = useState('');
  const [result, setResult] = useState<'' | 'success' | 'failure'>('');
  const [who, setWho] = useState<'' | 'users' | 'simulator'>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [facets, setFacets] = useState<Facets>({ methods: [], accounts: [] });
  const [rows, setRows] = useState<SigninRow[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Detail | null>(null);
  const [userPage, setUserPage] = useState<string | null>(null);
  const detailRef = useRef<HTMLElement>(null);
  const query = useRef(0);

  const debouncedEmail = useDebounced(email.trim(), 300);
  const filter: SigninFilter = {
    ...(debouncedEmail ? { email: debouncedEmail } : {}),
    ...(accountId ? { accountId } : {}),
    ...(method ? { method } : {}),
    ...(result ? { result } : {}),
    ...(who ? { simulator: who === 'simulator' } : {}),
    ...(toMs(from) !== undefined ? { from: toMs(from) } : {}),
    ...(toMs(to) !== undefined ? { to: toMs(to) } : {}),
  };
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    void api.signins.facets().then((r) => r.ok && setFacets(r.value));
  }, []);

  useEffect(() => {
    const mine = ++query.current;
    void api.signins.list({ filter: JSON.parse(filterKey) as SigninFilter, limit: PAGE }).then((r) => {
      if (mine !== query.current) return;
      setLoaded(true);
      if (r.ok) {
        setRows(r.value.rows);
        setNext(r.value.nextBefore);
        setError(null);
      } else setError(r.error.message);
    });
  }, [filterKey]);

  const loadMore = useCallback(() => {
    if (next === null) return;
    const mine = query.current;
    void api.signins.list({ filter: JSON.parse(filterKey) as SigninFilter, before: next, limit: PAGE }).then((r) => {
      if (mine !== query.current || !r.ok) return;
      setRows((old) => [...old, ...r.value.rows]);
      setNext(r.value.nextBefore);
    });
  }, [next, filterKey]);

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
      <form className="filters" role="search" aria-label="Filter sign-ins" onSubmit={(e) => e.preventDefault()}>
        <label>
          User
          <input type="search" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="ann@acme.test" />
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
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Result
          <select value={result} onChange={(e) => setResult(e.target.value as typeof result)}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
          </select>
        </label>
        <label>
          Made by
          <select value={who} onChange={(e) => setWho(e.target.value as typeof who)}>
            <option value="">Users and the Simulator</option>
            <option value="users">Users only</option>
            <option value="simulator">Simulator runs only</option>
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
      </form>
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
            renderRow={(r) => (
              <button
                className={`audit-row ${r.result === 'success' ? 'good-row' : 'failed'}`}
                aria-label={
                  `${r.email ?? 'Unknown user'}, ${r.methodLabel}, ${r.result === 'success' ? 'success' : 'failure'}, ` +
                  `${exactTime(r.at)}${r.simulator ? ', Simulator run' : ''}`
                }
                aria-current={selected?.id === r.id ? 'true' : undefined}
                title={r.reason ?? ''}
                onClick={() => void open(r.id)}
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
            )}
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
