import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Resolver, FieldErrors } from 'react-hook-form';
import { ThrottleNumbers, type ThrottleEntry } from '@shared/contract/login-protection';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { DraftBar, draftFormProps, useDraft } from '../../components/ui/draft';
import { Field, fieldAria } from '../../components/ui/Field';
import { useToast } from '../../components/ui/Toast';

type Unit = 'count' | 's' | 'min';
type Key = keyof ThrottleNumbers;
/** The form holds what the admin types: counts as counts, delays in seconds, durations in minutes. */
type Values = Record<Key, string>;

const FIELDS: Array<{ key: Key; label: string; unit: Unit; hint?: string }> = [
  { key: 'freeFailures', label: 'Failures allowed before slowing down', unit: 'count' },
  { key: 'delayMs', label: 'First delay', unit: 's', hint: 'Doubles with each further failure.' },
  { key: 'maxDelayMs', label: 'Longest delay', unit: 's' },
  { key: 'lockAfter', label: 'Failures before refusing (429)', unit: 'count' },
  { key: 'lockMs', label: 'Refused for', unit: 'min' },
  { key: 'windowMs', label: 'Failures forgotten after', unit: 'min' },
  { key: 'maxKeys', label: 'Emails and addresses tracked at most', unit: 'count' },
];
const UNIT_WORD: Record<Unit, string | undefined> = { count: undefined, s: 'seconds', min: 'minutes' };
const FACTOR: Record<Unit, number> = { count: 1, s: 1000, min: 60_000 };

const show = (n: number, unit: Unit) => String(Math.round((n / FACTOR[unit]) * 1000) / 1000);
const toForm = (t: ThrottleNumbers): Values =>
  Object.fromEntries(FIELDS.map((f) => [f.key, show(t[f.key], f.unit)])) as Values;
const parse = (text: string): number => (text.trim() === '' ? NaN : Number(text.trim().replace(',', '.')));
const toInput = (v: Values): Record<Key, number> =>
  Object.fromEntries(FIELDS.map((f) => [f.key, Math.round(parse(v[f.key]) * FACTOR[f.unit])])) as Record<Key, number>;

/** A bound of the contract in the field's own unit: "60 seconds", "1 second", "24 hours" read as minutes. */
function inWords(value: number, unit: Unit): string {
  if (unit === 'count') return String(value);
  if (unit === 'min' && value % 60_000 === 0) return `${value / 60_000} minute${value === 60_000 ? '' : 's'}`;
  return `${value / 1000} second${value === 1000 ? '' : 's'}`;
}

/**
 * The contract's own schema (`ThrottleNumbers`, in milliseconds) checks the numbers the admin typed
 * in seconds and minutes; each problem lands on its field, in the field's unit.
 */
const resolver: Resolver<Values> = (values) => {
  const errors: FieldErrors<Values> = {};
  for (const f of FIELDS)
    if (!Number.isFinite(parse(values[f.key]))) errors[f.key] = { type: 'number', message: 'enter a number' };
  if (Object.keys(errors).length === 0) {
    const r = ThrottleNumbers.safeParse(toInput(values));
    if (!r.success) {
      for (const issue of r.error.issues) {
        const key = issue.path[0] as Key;
        const f = FIELDS.find((x) => x.key === key);
        if (!f || errors[key]) continue;
        let message = issue.message;
        if (issue.code === 'too_big') message = `must be at most ${inWords(Number(issue.maximum), f.unit)}`;
        if (issue.code === 'too_small') message = `must be at least ${inWords(Number(issue.minimum), f.unit)}`;
        if (issue.code === 'invalid_type' || (issue.code === 'invalid_format' && f.unit === 'count'))
          message = 'enter a whole number';
        errors[key] = { type: issue.code, message };
      }
    }
  }
  return Object.keys(errors).length ? { values: {}, errors } : { values, errors: {} };
};

const SCOPES: Record<ThrottleEntry['scope'], string> = {
  login: 'Login and IdP form',
  forgot: 'Forgot password',
  reset: 'Password reset',
  demo: 'Demo pass-through service',
};

/**
 * Settings › Login protection: the numbers of password throttling (per email, per email in an account,
 * per client address) as a draft until Save, and what is counted or locked now, with a button to clear a lockout.
 */
export function LoginProtectionSettings() {
  const [saved, setSaved] = useState<ThrottleNumbers | null>(null);
  const [entries, setEntries] = useState<ThrottleEntry[] | null>(null);
  const [listMessage, setListMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const refresh = useCallback(async () => {
    const r = await api.auth.throttle.lockouts();
    if (r.ok) setEntries(r.value);
  }, []);
  useEffect(() => {
    void api.auth.throttle.get().then((r) => r.ok && setSaved(r.value));
    void refresh();
  }, [refresh]);

  const clear = async (entry: ThrottleEntry) => {
    const r = await api.auth.throttle.clear({ key: entry.key });
    setListMessage(
      r.ok
        ? { ok: true, text: `Cleared: ${entry.subject} (${SCOPES[entry.scope]}).` }
        : { ok: false, text: r.error.message },
    );
    await refresh();
  };

  return (
    <section aria-labelledby="protection-title" className="panel">
      <h1 id="protection-title">Login protection</h1>
      <p>
        Every password check (SSO Desk passwords, External user authentication, the demo IdP’s form, forgot and reset
        password) is counted per email and per email in an account before it runs: first slowed down, then refused with{' '}
        <code>429</code> and <code>Retry-After</code>. Local callers (127.0.0.1) all look alike, so together they are
        only slowed, never locked. A success resets the email’s count; Simulator runs count only when asked to.
      </p>
      {saved ? <ThrottleForm saved={saved} onSaved={setSaved} /> : <p>Loading…</p>}

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
                <td>
                  {e.lockedUntil !== null
                    ? `Locked until ${new Date(e.lockedUntil).toLocaleTimeString()}`
                    : e.kind === 'loopback'
                      ? 'Slowed when high'
                      : 'Counted'}
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => void clear(e)}
                    aria-label={`Clear ${e.subject} (${SCOPES[e.scope]})`}
                  >
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

function ThrottleForm({ saved, onSaved }: { saved: ThrottleNumbers; onSaved: (t: ThrottleNumbers) => void }) {
  const toast = useToast();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const savedValues = useMemo(() => toForm(saved), [saved]);
  const draft = useDraft<Values>({
    label: 'Login protection',
    saved: savedValues,
    resolver,
    onSave: async (values) => {
      const r = await api.auth.throttle.set(toInput(values) as ThrottleNumbers);
      if (!r.ok) {
        const key = FIELDS.find((f) => f.key === r.error.field)?.key;
        const text = r.error.message.replace(/^[A-Za-z]+: /, '');
        // On its field when it names one (the field's error is an alert of its own), else below the form.
        if (key) draft.form.setError(key, { type: 'server', message: text });
        setMessage(key ? null : { ok: false, text: r.error.message });
        return null;
      }
      onSaved(r.value);
      const text = 'Saved; in force now. Failures already counted are kept.';
      setMessage({ ok: true, text });
      toast(text);
      return toForm(r.value);
    },
  });
  const errors = draft.form.formState.errors;
  useEffect(() => {
    if (draft.dirty) setMessage(null);
  }, [draft.dirty]);
  return (
    <form {...draftFormProps(draft, 'Login throttling')}>
      {FIELDS.map((f) => {
        const id = `throttle-${f.key}`;
        const error = errors[f.key]?.message;
        return (
          <Field
            key={f.key}
            id={id}
            label={f.label}
            {...(UNIT_WORD[f.unit] ? { unit: UNIT_WORD[f.unit] } : {})}
            hint={f.hint}
            error={error}
          >
            <input
              inputMode="decimal"
              size={10}
              {...fieldAria(id, error, Boolean(f.hint))}
              {...draft.form.register(f.key)}
            />
          </Field>
        );
      })}
      <Notice message={message} />
      <DraftBar
        dirty={draft.dirty}
        saving={draft.saving}
        onSave={() => void draft.save()}
        onDiscard={draft.discard}
        what="Login protection"
      />
    </form>
  );
}
