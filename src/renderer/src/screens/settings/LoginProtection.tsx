import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ThrottleEntry, ThrottleNumbers } from '../../../../shared/contract/login-protection';
import { api } from '../../api';
import { Notice } from '../../components/Notice';

type Unit = 'count' | 's' | 'min';

/** Each number as the admin types it: counts as counts, delays in seconds, durations in minutes. */
const FIELDS: Array<{ key: keyof ThrottleNumbers; label: string; unit: Unit }> = [
  { key: 'freeFailures', label: 'Failures allowed before slowing down', unit: 'count' },
  { key: 'delayMs', label: 'First delay (seconds), doubling with each further failure', unit: 's' },
  { key: 'maxDelayMs', label: 'Longest delay (seconds)', unit: 's' },
  { key: 'lockAfter', label: 'Failures before refusing (429)', unit: 'count' },
  { key: 'lockMs', label: 'Refused for (minutes)', unit: 'min' },
  { key: 'windowMs', label: 'Failures forgotten after (minutes)', unit: 'min' },
  { key: 'maxKeys', label: 'Emails and addresses tracked at most', unit: 'count' },
];

const FACTOR: Record<Unit, number> = { count: 1, s: 1000, min: 60_000 };
const show = (ms: number, unit: Unit) => String(Math.round((ms / FACTOR[unit]) * 1000) / 1000);
const labelOf = (key: string | undefined) => FIELDS.find((f) => f.key === key)?.label;

const SCOPES: Record<ThrottleEntry['scope'], string> = {
  login: 'Login and IdP form',
  forgot: 'Forgot password',
  reset: 'Password reset',
  demo: 'Demo pass-through service',
};

/**
 * Settings › Login protection: the numbers of password throttling (per email, per email in an account,
 * per client address), and what is counted or locked now, with a button to clear a lockout.
 */
export function LoginProtectionSettings() {
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [entries, setEntries] = useState<ThrottleEntry[] | null>(null);
  const [listMessage, setListMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const refresh = useCallback(async () => {
    const r = await api.auth.throttle.lockouts();
    if (r.ok) setEntries(r.value);
  }, []);
  useEffect(() => {
    void api.auth.throttle.get().then((r) => r.ok && setValues(Object.fromEntries(FIELDS.map((f) => [f.key, show(r.value[f.key], f.unit)]))));
    void refresh();
  }, [refresh]);
  if (!values) return <p>Loading…</p>;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const input: Record<string, number> = {};
    for (const f of FIELDS) {
      const n = Number((values[f.key] ?? '').trim().replace(',', '.'));
      if ((values[f.key] ?? '').trim() === '' || !Number.isFinite(n)) {
        setMessage({ ok: false, text: `${f.label}: enter a number` });
        return;
      }
      input[f.key] = Math.round(n * FACTOR[f.unit]);
    }
    const r = await api.auth.throttle.set(input as ThrottleNumbers);
    if (r.ok) {
      setMessage({ ok: true, text: 'Saved; in force now. Failures already counted are kept.' });
      return;
    }
    const label = labelOf(r.error.field);
    const text = label ? `${label}: ${r.error.message.replace(/^[A-Za-z]+: /, '')}` : r.error.message;
    setMessage({ ok: false, text });
  };

  const clear = async (entry: ThrottleEntry) => {
    const r = await api.auth.throttle.clear({ key: entry.key });
    setListMessage(r.ok ? { ok: true, text: `Cleared: ${entry.subject} (${SCOPES[entry.scope]}).` } : { ok: false, text: r.error.message });
    await refresh();
  };

  return (
    <section aria-labelledby="protection-title" className="panel">
      <h1 id="protection-title">Login protection</h1>
      <p>
        Every password check (SSO Desk passwords, External user authentication, the demo IdP’s form, forgot and reset password) is
        counted per email and per email in an account before it runs: first slowed down, then refused with <code>429</code> and{' '}
        <code>Retry-After</code>. Local callers (127.0.0.1) all look alike, so together they are only slowed, never locked. A success
        resets the email’s count; Simulator runs count only when asked to.
      </p>
      <form aria-label="Login throttling" onSubmit={(e) => void save(e)}>
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <br />
            <input inputMode="decimal" value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
          </label>
        ))}
        <p>
          <button type="submit" className="primary">
            Save login protection
          </button>
        </p>
      </form>
      <Notice message={message} />

      <h2 id="lockouts-title">Lockouts and counted failures</h2>
      <p>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </p>
      {entries === null ? (
        <p>Loading…</p>
      ) : entries.length === 0 ? (
        <p>No failed attempts are being counted.</p>
      ) : (
        <table aria-labelledby="lockouts-title">
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">Check</th>
              <th scope="col">Failures</th>
              <th scope="col">State</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.key}>
                <td>{e.subject}</td>
                <td>{SCOPES[e.scope]}</td>
                <td>{e.failures}</td>
                <td>{e.lockedUntil !== null ? `Locked until ${new Date(e.lockedUntil).toLocaleTimeString()}` : e.kind === 'loopback' ? 'Slowed when high' : 'Counted'}</td>
                <td>
                  <button type="button" onClick={() => void clear(e)} aria-label={`Clear ${e.subject} (${SCOPES[e.scope]})`}>
                    Clear
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Notice message={listMessage} />
    </section>
  );
}
