import { useEffect, useState } from 'react';
import type { ThrottleNumbers } from '../../../../shared/contract/login-protection';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { DraftBar, useDraft } from '../../components/ui/draft';
import { useToast } from '../../components/ui/Toast';

const FIELDS: Array<{ key: keyof ThrottleNumbers; label: string; unit: 'count' | 'ms' }> = [
  { key: 'freeFailures', label: 'Failures allowed before slowing down', unit: 'count' },
  { key: 'delayMs', label: 'First delay (ms), doubling with each further failure', unit: 'ms' },
  { key: 'maxDelayMs', label: 'Longest delay (ms)', unit: 'ms' },
  { key: 'lockAfter', label: 'Failures before refusing (429)', unit: 'count' },
  { key: 'lockMs', label: 'Refused for (ms)', unit: 'ms' },
  { key: 'windowMs', label: 'Failures forgotten after (ms)', unit: 'ms' },
  { key: 'maxKeys', label: 'Emails and addresses tracked at most', unit: 'count' },
];

type Values = Record<string, string>;
const toValues = (n: ThrottleNumbers): Values => Object.fromEntries(Object.entries(n).map(([k, v]) => [k, String(v)]));

/** Settings › Login protection: the numbers of password-login throttling (per email and per peer address). */
export function LoginProtectionSettings() {
  const [saved, setSaved] = useState<Values | null>(null);
  useEffect(() => {
    void api.auth.throttle.get().then((r) => r.ok && setSaved(toValues(r.value)));
  }, []);
  if (!saved) return <p>Loading…</p>;
  return <LoginProtectionForm saved={saved} onSaved={setSaved} />;
}

function LoginProtectionForm({ saved, onSaved }: { saved: Values; onSaved: (v: Values) => void }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const toast = useToast();
  const draft = useDraft<Values>({
    label: 'Login protection',
    saved,
    onSave: async (values) => {
      const input = Object.fromEntries(FIELDS.map((f) => [f.key, Number(values[f.key])])) as ThrottleNumbers;
      const r = await api.auth.throttle.set(input);
      if (!r.ok) {
        setMessage({ ok: false, text: r.error.message });
        return null;
      }
      const next = toValues(r.value);
      onSaved(next);
      setMessage({ ok: true, text: 'Saved; in force now. Failures already counted are kept.' });
      toast('Login protection saved; in force now.');
      return next;
    },
  });
  return (
    <section aria-labelledby="protection-title" className="panel">
      <h1 id="protection-title">Login protection</h1>
      <p>
        Repeated failed password logins (SSO Desk passwords and External user authentication alike) are counted per email and per
        peer address: first slowed down, then refused with <code>429</code> and <code>Retry-After</code>. A success resets the count.
      </p>
      <form
        aria-label="Login throttling"
        onSubmit={(e) => {
          e.preventDefault();
          void draft.save();
        }}
      >
        {FIELDS.map((f) => (
          <label key={f.key}>
            {f.label}
            <br />
            <input inputMode="numeric" {...draft.form.register(f.key)} />
          </label>
        ))}
        <Notice message={message} />
        <DraftBar dirty={draft.dirty} saving={draft.saving} onSave={() => void draft.save()} onDiscard={draft.discard} what="login protection" />
      </form>
    </section>
  );
}
