import { useEffect, useState, type FormEvent } from 'react';
import type { ThrottleNumbers } from '../../../../shared/contract/login-protection';
import { api } from '../../api';
import { Notice } from '../../components/Notice';

const FIELDS: Array<{ key: keyof ThrottleNumbers; label: string; unit: 'count' | 'ms' }> = [
  { key: 'freeFailures', label: 'Failures allowed before slowing down', unit: 'count' },
  { key: 'delayMs', label: 'First delay (ms), doubling with each further failure', unit: 'ms' },
  { key: 'maxDelayMs', label: 'Longest delay (ms)', unit: 'ms' },
  { key: 'lockAfter', label: 'Failures before refusing (429)', unit: 'count' },
  { key: 'lockMs', label: 'Refused for (ms)', unit: 'ms' },
  { key: 'windowMs', label: 'Failures forgotten after (ms)', unit: 'ms' },
  { key: 'maxKeys', label: 'Emails and addresses tracked at most', unit: 'count' },
];

/** Settings › Login protection: the numbers of password-login throttling (per email and per peer address). */
export function LoginProtectionSettings() {
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    void api.auth.throttle.get().then((r) => r.ok && setValues(Object.fromEntries(Object.entries(r.value).map(([k, v]) => [k, String(v)]))));
  }, []);
  if (!values) return <p>Loading…</p>;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const input = Object.fromEntries(FIELDS.map((f) => [f.key, Number(values[f.key])])) as ThrottleNumbers;
    const r = await api.auth.throttle.set(input);
    setMessage(r.ok ? { ok: true, text: 'Saved; in force now. Failures already counted are kept.' } : { ok: false, text: r.error.message });
  };
  return (
    <section aria-labelledby="protection-title" className="panel">
      <h1 id="protection-title">Login protection</h1>
      <p>
        Repeated failed password logins (SSO Desk passwords and External user authentication alike) are counted per email and per
        peer address: first slowed down, then refused with <code>429</code> and <code>Retry-After</code>. A success resets the count.
      </p>
      <form aria-label="Login throttling" onSubmit={(e) => void save(e)}>
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <br />
            <input inputMode="numeric" value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
          </label>
        ))}
        <p>
          <button type="submit" className="primary">
            Save login protection
          </button>
        </p>
      </form>
      <Notice message={message} />
    </section>
  );
}
