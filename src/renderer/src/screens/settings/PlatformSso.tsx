import { useEffect, useState } from 'react';
import type { PlatformSsoSettings } from '../../../../shared/contract/tokens';
import { api } from '../../api';
import { Notice } from '../../components/Notice';

const MUTED = { marginTop: 0, fontSize: 12.5 } as const;

/** A switch that the plan may forbid turning on (never off), with the gate's reason beside it. */
function GatedSwitch(p: { id: string; label: string; on: boolean; gate: { allowed: boolean; reason: string }; onChange: (on: boolean) => void }) {
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

/** Settings > Platform SSO: per account, the SSO Login package and the embeddable option, plan-gated. */
export function PlatformSsoSettingsPanel() {
  const [accounts, setAccounts] = useState<PlatformSsoSettings[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    void api.tokens.settings.list().then((r) => (r.ok ? setAccounts(r.value) : setMessage({ ok: false, text: r.error.message })));
  }, []);
  const set = async (a: PlatformSsoSettings, patch: { ssoLogin?: boolean; embeddable?: boolean }) => {
    const r = await api.tokens.settings.set({ account: a.account, ...patch });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setAccounts((list) => list?.map((x) => (x.account === a.account ? r.value : x)) ?? null);
    setMessage({ ok: true, text: `${a.name}: SSO Login ${r.value.ssoLogin ? 'on' : 'off'}, embeddable ${r.value.embeddable ? 'on' : 'off'}.` });
  };
  return (
    <section aria-labelledby="psso-title" className="panel">
      <h1 id="psso-title">Platform SSO</h1>
      <p>
        With the SSO Login package, an account’s server can call <code>POST /authorization/sso</code> and send its users straight into a
        bot’s workspace. Embeddable accounts get those pages without the header, and may frame them.
      </p>
      <Notice message={message} />
      {!accounts && !message && <p>Loading…</p>}
      {accounts?.map((a) => (
        <article key={a.account} aria-label={`Platform SSO of ${a.name}`} className="card">
          <h2>
            {a.name} <span className="pill">{a.plan}</span>
          </h2>
          <GatedSwitch id={`${a.account}-sso`} label={`SSO Login package (${a.name})`} on={a.ssoLogin} gate={a.gates.ssoLogin} onChange={(on) => void set(a, { ssoLogin: on })} />
          <GatedSwitch id={`${a.account}-emb`} label={`Embeddable pages (${a.name})`} on={a.embeddable} gate={a.gates.embeddable} onChange={(on) => void set(a, { embeddable: on })} />
        </article>
      ))}
    </section>
  );
}
