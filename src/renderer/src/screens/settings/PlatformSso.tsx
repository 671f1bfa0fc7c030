import { useEffect, useMemo, useState } from 'react';
import type { PlatformSsoSettings } from '@shared/contract/tokens';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { DraftBar, useDraft } from '../../components/ui/draft';
import { useToast } from '../../components/ui/Toast';
import { embeddableGate } from '@shared/platform-sso-plans';

const MUTED = { marginTop: 0, fontSize: 12.5 } as const;

/** A switch that the plan may forbid turning on (never off), with the gate's reason beside it. */
function GatedSwitch(p: {
  id: string;
  label: string;
  on: boolean;
  gate: { allowed: boolean; reason: string };
  onChange: (on: boolean) => void;
}) {
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          role="switch"
          checked={p.on}
          disabled={!p.on && !p.gate.allowed}
          onChange={(e) => p.onChange(e.target.checked)}
          aria-describedby={`${p.id}-why`}
        />{' '}
        {p.label}
      </label>
      <p id={`${p.id}-why`} className={p.gate.allowed ? undefined : 'warn'} style={MUTED}>
        {p.gate.reason}
      </p>
    </>
  );
}

type Switches = Record<string, { ssoLogin: boolean; embeddable: boolean }>;
const toSwitches = (list: PlatformSsoSettings[]): Switches =>
  Object.fromEntries(list.map((a) => [a.account, { ssoLogin: a.ssoLogin, embeddable: a.embeddable }]));

/** Settings > Platform SSO: per account, the SSO Login package and the embeddable option, plan-gated; a draft until Save. */
export function PlatformSsoSettingsPanel() {
  const [accounts, setAccounts] = useState<PlatformSsoSettings[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    void api.tokens.settings
      .list()
      .then((r) => (r.ok ? setAccounts(r.value) : setMessage({ ok: false, text: r.error.message })));
  }, []);
  return (
    <section aria-labelledby="psso-title" className="panel">
      <h1 id="psso-title">Platform SSO</h1>
      <p>
        With the SSO Login package, an account’s server can call <code>POST /authorization/sso</code> and send its users
        straight into a bot’s workspace. Embeddable accounts get those pages without the header, and may frame them.
      </p>
      {!accounts && !message && <p>Loading…</p>}
      {accounts && (
        <PlatformSsoForm accounts={accounts} onSaved={setAccounts} message={message} setMessage={setMessage} />
      )}
      {!accounts && <Notice message={message} />}
    </section>
  );
}

function PlatformSsoForm(p: {
  accounts: PlatformSsoSettings[];
  onSaved: (list: PlatformSsoSettings[]) => void;
  message: { ok: boolean; text: string } | null;
  setMessage: (m: { ok: boolean; text: string } | null) => void;
}) {
  const toast = useToast();
  const saved = useMemo(() => toSwitches(p.accounts), [p.accounts]);
  const draft = useDraft<Switches>({
    label: 'Platform SSO switches',
    saved,
    onSave: async (values) => {
      let list = p.accounts;
      const done: string[] = [];
      for (const a of p.accounts) {
        const want = values[a.account]!;
        if (want.ssoLogin === a.ssoLogin && want.embeddable === a.embeddable) continue;
        const r = await api.tokens.settings.set({
          account: a.account,
          ssoLogin: want.ssoLogin,
          embeddable: want.embeddable,
        });
        if (!r.ok) {
          p.onSaved(list);
          p.setMessage({
            ok: false,
            text: `${a.name}: ${r.error.message}${done.length ? ` (saved before it: ${done.join(', ')})` : ''}`,
          });
          return null;
        }
        list = list.map((x) => (x.account === a.account ? r.value : x));
        done.push(
          `${a.name}: SSO Login ${r.value.ssoLogin ? 'on' : 'off'}, embeddable ${r.value.embeddable ? 'on' : 'off'}`,
        );
      }
      p.onSaved(list);
      const text = done.length ? `Saved. ${done.join('; ')}.` : 'Nothing to save.';
      p.setMessage({ ok: true, text });
      toast(text);
      return toSwitches(list);
    },
  });
  const values = draft.form.watch();
  const set = (account: string, key: 'ssoLogin' | 'embeddable', on: boolean) => {
    draft.form.setValue(`${account}.${key}`, on, { shouldDirty: true });
    // As the engine saves it: without SSO Login, embeddable goes off too (only SSO links open those pages).
    if (key === 'ssoLogin' && !on) draft.form.setValue(`${account}.embeddable`, false, { shouldDirty: true });
  };
  return (
    <form
      aria-label="Platform SSO switches"
      onSubmit={(e) => {
        e.preventDefault();
        void draft.save();
      }}
    >
      <Notice message={p.message} />
      {p.accounts.map((a) => {
        const v = values[a.account] ?? { ssoLogin: a.ssoLogin, embeddable: a.embeddable };
        const changed = v.ssoLogin !== a.ssoLogin || v.embeddable !== a.embeddable;
        return (
          <article key={a.account} aria-label={`Platform SSO of ${a.name}`} className="card">
            <h2>
              {a.name} <span className="pill">{a.plan}</span>
              {changed && <span className="warn"> — not saved yet</span>}
            </h2>
            <GatedSwitch
              id={`${a.account}-sso`}
              label={`SSO Login package (${a.name})`}
              on={v.ssoLogin}
              gate={a.gates.ssoLogin}
              onChange={(on) => set(a.account, 'ssoLogin', on)}
            />
            <GatedSwitch
              id={`${a.account}-emb`}
              label={`Embeddable pages (${a.name})`}
              on={v.embeddable}
              gate={embeddableGate(a.plan, v.ssoLogin)}
              onChange={(on) => set(a.account, 'embeddable', on)}
            />
          </article>
        );
      })}
      <DraftBar
        dirty={draft.dirty}
        saving={draft.saving}
        onSave={() => void draft.save()}
        onDiscard={draft.discard}
        what="Platform SSO"
      />
    </form>
  );
}
