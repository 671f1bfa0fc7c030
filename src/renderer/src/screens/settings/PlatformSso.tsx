import { useEffect, useState } from 'react';
import type { PlatformSsoSettings } from '../../../../shared/contract/tokens';
import { api } from '../../api';

const MUTED = { marginTop: 0, fontSize: 12.5 } as const;

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
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'good' : 'bad'}>
          {message.text}
        </p>
      )}
      {!accounts && !message && <p>Loading…</p>}
      {accounts?.map((a) => (
        <article key={a.account} aria-label={`Platform SSO of ${a.name}`} className="card">
          <h2>
            {a.name} <span className="pill">{a.plan}</span>
          </h2>
          <label className="check">
            <input
              type="checkbox"
              role="switch"
              checked={a.ssoLogin}
              disabled={!a.ssoLogin && !a.gates.ssoLogin.allowed}
              onChange={(e) => void set(a, { ssoLogin: e.target.checked })}
              aria-describedby={`${a.account}-sso-why`}
            />{' '}
            SSO Login package ({a.name})
          </label>
          <p id={`${a.account}-sso-why`} className={a.gates.ssoLogin.allowed ? undefined : 'warn'} style={MUTED}>
            {a.gates.ssoLogin.reason}
          </p>
          <label className="check">
            <input
              type="checkbox"
              role="switch"
              checked={a.embeddable}
              disabled={!a.embeddable && !a.gates.embeddable.allowed}
              onChange={(e) => void set(a, { embeddable: e.target.checked })}
              aria-describedby={`${a.account}-emb-why`}
            />{' '}
            Embeddable pages ({a.name})
          </label>
          <p id={`${a.account}-emb-why`} className={a.gates.embeddable.allowed ? undefined : 'warn'} style={MUTED}>
            {a.gates.embeddable.reason}
          </p>
        </article>
      ))}
    </section>
  );
}
