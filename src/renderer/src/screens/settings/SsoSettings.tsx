import { useEffect, useMemo, useState } from 'react';
import type { AccountSummary } from '../../../../shared/contract/workspace';
import type { OidcConfigView, TestReport } from '../../../../shared/contract/oidc';
import { TestReportView } from './TestReportView';
import { PRESET_DEFINITIONS, buildPresetIssuer, findPreset, registeredRedirectUri } from '../../../../shared/oidc-presets';
import { parseScopes, validateOidcDraft } from '../../../../shared/oidc-config';
import type { Preset } from '../../../../shared/domain';
import { api } from '../../api';
import { useAccountChoice } from '../../components/useAccountChoice';
import { Notice } from '../../components/Notice';
import { AccountSelect } from '../../components/AccountSelect';

/** Settings > Security > SSO: one account's OpenID Connect settings. */
export function SsoSettings() {
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [account, setAccount] = useAccountChoice(accounts.map((a) => a.id));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.workspace.accounts().then((r) => {
      if (!r.ok) return setError(r.error.message);
      setAccounts(r.value);
    });
  }, []);
  return (
    <section aria-labelledby="sso-title" className="panel">
      <h1 id="sso-title">Security › SSO</h1>
      {error && <p role="alert">{error}</p>}
      <AccountSelect accounts={accounts} value={account} onChange={setAccount} showPlan />
      {account && <SsoForm key={account} account={account} />}
    </section>
  );
}

function SsoForm({ account }: { account: string }) {
  const [view, setView] = useState<OidcConfigView | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [preset, setPreset] = useState<Preset>('generic');
  const [params, setParams] = useState<Record<string, string>>({});
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [clearSecret, setClearSecret] = useState(false);
  const [scopes, setScopes] = useState('openid email profile');
  const [redirectHost, setRedirectHost] = useState<'127.0.0.1' | 'localhost'>('127.0.0.1');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [serverField, setServerField] = useState<string | null>(null);
  const [report, setReport] = useState<TestReport | null>(null);
  const [testing, setTesting] = useState(false);
  const [copied, setCopied] = useState(false);

  const load = (v: OidcConfigView) => {
    setView(v);
    setEnabled(v.enabled);
    setPreset(v.preset);
    setParams(v.presetParams);
    setIssuer(v.issuer);
    setClientId(v.clientId);
    setScopes(v.scopes.join(' '));
    setRedirectHost(v.redirectHost);
    setSecret('');
    setClearSecret(false);
  };
  useEffect(() => {
    void api.sso.oidc.get({ account }).then((r) => (r.ok ? load(r.value) : setMessage({ ok: false, text: r.error.message })));
  }, [account]);

  const builtIssuer = useMemo(() => (preset === 'generic' ? null : buildPresetIssuer(preset, params)), [preset, params]);
  const draft = {
    account,
    enabled,
    preset,
    presetParams: preset === 'generic' ? {} : params,
    issuer: builtIssuer?.ok ? builtIssuer.issuer : issuer,
    clientId,
    ...(secret ? { clientSecret: secret } : {}),
    clearClientSecret: clearSecret,
    scopes: parseScopes(scopes),
    redirectHost,
    actor: 'console admin',
  };
  const problems = validateOidcDraft(draft);
  const problemOf = (field: string) => problems.find((p) => p.field === field)?.message ?? (serverField === field ? message?.text : undefined);

  if (!view) return <p>Loading…</p>;
  const redirectUri = registeredRedirectUri(redirectHost);
  const presetDef = findPreset(preset);

  const save = async () => {
    const r = await api.sso.oidc.save(draft);
    if (r.ok) {
      load(r.value);
      setServerField(null);
      setMessage({ ok: true, text: r.value.enabled ? `Saved. SSO is on for ${r.value.accountName}: password login is refused for its users.` : 'Saved. SSO is off: password login works.' });
    } else {
      setServerField(r.error.field ?? null);
      setMessage({ ok: false, text: r.error.message });
    }
  };
  const test = async () => {
    setTesting(true);
    setReport(null);
    const { enabled: _e, actor: _a, ...rest } = draft;
    const r = await api.sso.oidc.test(rest);
    setTesting(false);
    if (r.ok) setReport(r.value);
    else setMessage({ ok: false, text: r.error.message });
  };
  const copy = async () => {
    await navigator.clipboard?.writeText(redirectUri).catch(() => undefined);
    setCopied(true);
  };

  return (
    <form aria-label={`SSO settings for ${view.accountName}`} onSubmit={(e) => (e.preventDefault(), void save())}>
      <label className="check">
        <input type="checkbox" role="switch" aria-label="SSO" checked={enabled} disabled={!view.canEnable.allowed && !enabled} onChange={(e) => setEnabled(e.target.checked)} />
        SSO {enabled ? 'on' : 'off'}
      </label>
      {!view.canEnable.allowed && (
        <p className="warn" role="note">
          {view.canEnable.reason}
        </p>
      )}
      {view.enabledAt && <p className="muted">Enforced since {new Date(view.enabledAt).toISOString().slice(0, 10)} by {view.enabledBy}</p>}

      <label htmlFor="sso-preset">Identity provider</label>
      <select id="sso-preset" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
        <option value="generic">Any OpenID Connect IdP</option>
        {PRESET_DEFINITIONS.map((p) => (
          <option key={p.id} value={p.id} disabled={!view.canUsePresets.allowed}>
            {p.vendor}
          </option>
        ))}
      </select>
      {!view.canUsePresets.allowed && <p className="muted" role="note">{view.canUsePresets.reason}</p>}

      {presetDef?.params.map((p) => (
        <div key={p.key}>
          <label htmlFor={`sso-param-${p.key}`}>{p.label}</label>
          {p.choices ? (
            <select id={`sso-param-${p.key}`} value={params[p.key] ?? ''} onChange={(e) => setParams({ ...params, [p.key]: e.target.value })}>
              <option value="">Choose…</option>
              {p.choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : (
            <input id={`sso-param-${p.key}`} placeholder={p.placeholder} value={params[p.key] ?? ''} onChange={(e) => setParams({ ...params, [p.key]: e.target.value })} />
          )}
          <FieldNote hint={p.hint} problem={problemOf(`presetParams.${p.key}`)} />
        </div>
      ))}

      <label htmlFor="sso-issuer">IdP URL (issuer)</label>
      <input
        id="sso-issuer"
        size={60}
        value={builtIssuer?.ok ? builtIssuer.issuer : issuer}
        readOnly={preset !== 'generic'}
        placeholder="https://idp.example.com"
        aria-invalid={problemOf('issuer') ? true : undefined}
        onChange={(e) => setIssuer(e.target.value)}
      />
      <FieldNote hint={preset === 'generic' ? 'The issuer: its discovery document is at /.well-known/openid-configuration' : 'Built from the values above'} problem={problemOf('issuer')} />

      <label htmlFor="sso-client-id">Client ID</label>
      <input id="sso-client-id" size={40} value={clientId} aria-invalid={problemOf('clientId') ? true : undefined} onChange={(e) => setClientId(e.target.value)} />
      <FieldNote problem={problemOf('clientId')} />

      <label htmlFor="sso-client-secret">Client Secret</label>
      <input
        id="sso-client-secret"
        type="password"
        autoComplete="new-password"
        size={40}
        value={secret}
        placeholder={view.clientSecretSet ? 'A secret is set — type to replace it' : 'None: a public client (PKCE only)'}
        onChange={(e) => setSecret(e.target.value)}
      />
      <p className="muted" aria-label="Client secret status">
        {view.clientSecretSet ? 'A client secret is stored (encrypted). It is never shown again.' : 'No client secret: the app is a public client; PKCE protects the code exchange and no client_secret is sent.'}
      </p>
      {view.clientSecretSet && (
        <label className="check">
          <input type="checkbox" checked={clearSecret} onChange={(e) => setClearSecret(e.target.checked)} /> Remove the stored secret (make it a public client)
        </label>
      )}

      <label htmlFor="sso-scopes">Scopes</label>
      <input id="sso-scopes" size={40} value={scopes} aria-invalid={problemOf('scopes') ? true : undefined} onChange={(e) => setScopes(e.target.value)} />
      <FieldNote hint="Separated by spaces; openid is required" problem={problemOf('scopes')} />

      <h2>Redirect URL to register at the IdP</h2>
      <p>
        <input aria-label="Redirect URL" readOnly size={34} value={redirectUri} />{' '}
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
      <p className="muted">Loopback, any port (RFC 8252 §7.3): SSO Desk listens on a free port for each sign-in.</p>
      <label className="check">
        <input type="checkbox" checked={redirectHost === 'localhost'} onChange={(e) => setRedirectHost(e.target.checked ? 'localhost' : '127.0.0.1')} /> Use
        localhost instead (for IdPs that accept only that host)
      </label>

      {presetDef && (
        <section aria-label={`${presetDef.vendor} steps`} className="card">
          <h2>In {presetDef.vendor}</h2>
          <ol>
            {presetDef.steps.map((s) => (
              <li key={s}>{s.replace('{redirect}', redirectUri)}</li>
            ))}
          </ol>
          <p className="muted">Vendor guide: {presetDef.docsUrl}</p>
        </section>
      )}

      <p>
        <button type="submit" className="primary">
          Save
        </button>{' '}
        <button type="button" onClick={() => void test()} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
      </p>
      <Notice message={message} />
      {report && <TestReportView report={report} />}
    </form>
  );
}

function FieldNote({ hint, problem }: { hint?: string; problem?: string | undefined }) {
  if (problem) return <p className="bad">{problem}</p>;
  return hint ? <p className="muted">{hint}</p> : null;
}
