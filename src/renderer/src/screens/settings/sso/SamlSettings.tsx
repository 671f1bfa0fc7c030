import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { AccountSummary } from '../../../../../shared/contract/workspace';
import type { FlowStatus, TestReport } from '../../../../../shared/contract/oidc';
import type { SamlConfigView } from '../../../../../shared/contract/saml';
import { NAMEID_FORMATS, SAML_PRESETS, type SamlPreset } from '../../../../../shared/saml-config';
import { SAML_PRESET_INFO } from '../../../../../shared/saml-presets';
import { api, transport } from '../../../api';
import { useAccountChoice } from '../../../components/useAccountChoice';
import { AccountSelect } from '../../../components/AccountSelect';
import { Notice } from '../../../components/Notice';
import { TestReportView } from '../TestReportView';

/** What the SAML form holds: the IdP either by metadata (URL or file text) or by hand. */
interface SamlForm {
  enabled: boolean;
  preset: SamlPreset;
  idpSource: 'keep' | 'url' | 'file' | 'hand';
  idpMetadataUrl: string;
  idpMetadataXml: string;
  entityId: string;
  ssoUrl: string;
  certificates: string;
  acsPort: number;
  nameIdFormat: string;
  userAttribute: string;
  allowIdpInitiated: boolean;
  clockSkewSeconds: number;
  allowSha1: boolean;
  newSpKey: boolean;
}

const toForm = (v: SamlConfigView): SamlForm => ({
  enabled: v.enabled,
  preset: v.preset,
  idpSource: v.configured ? 'keep' : 'url',
  idpMetadataUrl: '',
  idpMetadataXml: '',
  entityId: v.idp.entityId,
  ssoUrl: v.idp.ssoUrl,
  certificates: v.idp.certificates.map((c) => c.pem).join('\n'),
  acsPort: v.acsPort,
  nameIdFormat: v.nameIdFormat,
  userAttribute: v.userAttribute,
  allowIdpInitiated: v.allowIdpInitiated,
  clockSkewSeconds: v.clockSkewSeconds,
  allowSha1: v.allowSha1,
  newSpKey: false,
});

/** The form as the contract's draft (`sso.saml.save` / `sso.saml.test`). */
function toDraft(account: string, f: SamlForm) {
  const certificates = (f.certificates.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [])
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    account,
    preset: f.preset,
    ...(f.idpSource === 'url' && f.idpMetadataUrl.trim() ? { idpMetadataUrl: f.idpMetadataUrl.trim() } : {}),
    ...(f.idpSource === 'file' && f.idpMetadataXml ? { idpMetadataXml: f.idpMetadataXml } : {}),
    ...(f.idpSource === 'hand' ? { idp: { entityId: f.entityId, ssoUrl: f.ssoUrl, certificates } } : {}),
    acsPort: Number(f.acsPort),
    nameIdFormat: f.nameIdFormat,
    userAttribute: f.userAttribute,
    allowIdpInitiated: f.allowIdpInitiated,
    clockSkewSeconds: Number(f.clockSkewSeconds),
    allowSha1: f.allowSha1,
    ...(f.newSpKey ? { newSpKey: true } : {}),
  };
}

const NAMEID_LABELS: Record<string, string> = {
  [NAMEID_FORMATS.email]: 'Email address',
  [NAMEID_FORMATS.unspecified]: 'Unspecified',
  [NAMEID_FORMATS.persistent]: 'Persistent',
  [NAMEID_FORMATS.transient]: 'Transient',
};

/**
 * Settings › Security › SSO, SAML 2.0: the SP's names to register at the IdP, the IdP by metadata or by
 * hand, the checks' options, Test connection and Test sign-in. A draft until Save; switching on needs a
 * passing test of exactly these settings (the engine refuses otherwise, with the reason).
 */
export function SamlSettings() {
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [account, setAccount] = useAccountChoice(accounts.map((a) => a.id));
  const [view, setView] = useState<SamlConfigView | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [report, setReport] = useState<TestReport | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm<SamlForm>({ defaultValues: undefined });
  const { register, watch, reset, handleSubmit, setValue, formState } = form;
  const values = watch();

  useEffect(() => {
    void api.workspace.accounts().then((r) => r.ok && setAccounts(r.value));
  }, []);
  useEffect(() => {
    if (!account) return;
    setMessage(null);
    setReport(null);
    void api.sso.saml.get({ account }).then((r) => {
      if (!r.ok) return setMessage({ ok: false, text: r.error.message });
      setView(r.value);
      reset(toForm(r.value));
    });
  }, [account, reset]);

  if (!view || !values.preset) return <p>Loading…</p>;
  const info = SAML_PRESET_INFO[values.preset];

  const save = handleSubmit(async (f) => {
    setBusy(true);
    const r = await api.sso.saml.save({ ...toDraft(view.account, f), enabled: f.enabled });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setView(r.value);
    reset(toForm(r.value));
    setMessage({ ok: true, text: `Saved: SAML SSO is ${r.value.enabled ? 'on' : 'off'} for ${r.value.accountName}.` });
  });
  const test = async () => {
    setBusy(true);
    const r = await api.sso.saml.test(toDraft(view.account, values));
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setReport(r.value);
    void api.sso.saml.get({ account: view.account }).then((g) => g.ok && setView(g.value));
  };
  const metadata = async (how: 'copy' | 'download') => {
    const r = await api.sso.saml.metadata({ account: view.account });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    if (how === 'copy') {
      await navigator.clipboard?.writeText(r.value.xml).catch(() => undefined);
      setMessage({ ok: true, text: 'SP metadata XML copied.' });
    } else {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([r.value.xml], { type: 'application/samlmetadata+xml' }));
      a.download = r.value.fileName;
      a.click();
      URL.revokeObjectURL(a.href);
    }
  };

  return (
    <form aria-label="SAML 2.0 settings" onSubmit={(e) => void save(e)}>
      <AccountSelect accounts={accounts} value={account} onChange={setAccount} showPlan />
      {view.oidcEnabled && (
        <p role="note" className="warn">
          OIDC SSO is on for {view.accountName}. An account uses OIDC or SAML, not both: switch OIDC off before
          switching SAML on.
        </p>
      )}
      {!view.canEnable.allowed && <p className="muted">{view.canEnable.reason}</p>}

      <label htmlFor="saml-preset">Identity provider</label>
      <select id="saml-preset" {...register('preset')}>
        {SAML_PRESETS.map((p) => (
          <option key={p} value={p} disabled={p !== 'generic' && !view.canUsePresets.allowed}>
            {SAML_PRESET_INFO[p].label}
          </option>
        ))}
      </select>
      {!view.canUsePresets.allowed && <p className="muted">{view.canUsePresets.reason}</p>}

      <section aria-labelledby="saml-sp" className="card">
        <h2 id="saml-sp">Register this at the IdP</h2>
        <dl>
          <dt>{info.entityIdLabel}</dt>
          <dd>
            <code>{view.sp.entityId}</code>
          </dd>
          <dt>{info.acsLabel} (HTTP-POST)</dt>
          <dd>
            <code>{view.sp.acsUrl}</code>
          </dd>
          <dt>NameID format</dt>
          <dd>
            <code>{view.nameIdFormat}</code>
          </dd>
        </dl>
        <button type="button" onClick={() => void metadata('copy')}>
          Copy SP metadata XML
        </button>{' '}
        <button type="button" onClick={() => void metadata('download')}>
          Download SP metadata
        </button>
      </section>

      <section aria-labelledby="saml-steps" className="card">
        <h2 id="saml-steps">In {info.label}</h2>
        <ol>
          {info.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      </section>

      <fieldset>
        <legend>IdP settings</legend>
        <div role="radiogroup" aria-label="Where the IdP settings come from">
          {view.configured && (
            <label>
              <input type="radio" value="keep" {...register('idpSource')} /> Keep the saved IdP ({view.idp.entityId})
            </label>
          )}
          <label>
            <input type="radio" value="url" {...register('idpSource')} /> Metadata URL
          </label>
          <label>
            <input type="radio" value="file" {...register('idpSource')} /> Metadata file
          </label>
          <label>
            <input type="radio" value="hand" {...register('idpSource')} /> By hand
          </label>
        </div>
        {values.idpSource === 'url' && (
          <>
            <label htmlFor="saml-metadata-url">IdP metadata URL</label>
            <input id="saml-metadata-url" size={60} placeholder={info.metadataHint} {...register('idpMetadataUrl')} />
          </>
        )}
        {values.idpSource === 'file' && (
          <>
            <label htmlFor="saml-metadata-file">IdP metadata file</label>
            <input
              id="saml-metadata-file"
              type="file"
              accept=".xml,application/xml,application/samlmetadata+xml"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void file.text().then((t) => setValue('idpMetadataXml', t, { shouldDirty: true }));
              }}
            />
          </>
        )}
        {values.idpSource === 'hand' && (
          <>
            <label htmlFor="saml-entity-id">IdP entity ID (Issuer)</label>
            <input id="saml-entity-id" size={60} {...register('entityId')} />
            <label htmlFor="saml-sso-url">IdP SSO URL</label>
            <input id="saml-sso-url" size={60} {...register('ssoUrl')} />
            <label htmlFor="saml-certs">Signing certificates (PEM; several during a rollover)</label>
            <textarea id="saml-certs" rows={6} cols={66} {...register('certificates')} />
          </>
        )}
        {view.idp.certificates.length > 0 && (
          <ul aria-label="Saved IdP certificates">
            {view.idp.certificates.map((c) => (
              <li key={c.sha256} className={c.status === 'ok' ? 'good' : c.status === 'expiring' ? 'warn' : 'bad'}>
                {c.subject}: {c.expiry}
              </li>
            ))}
          </ul>
        )}
      </fieldset>

      <fieldset>
        <legend>Checks</legend>
        <label htmlFor="saml-acs-port">ACS port (fixed: the IdP matches the ACS URL exactly)</label>
        <input
          id="saml-acs-port"
          type="number"
          min={1024}
          max={65535}
          {...register('acsPort', { valueAsNumber: true })}
        />
        <label htmlFor="saml-nameid">NameID format</label>
        <select id="saml-nameid" {...register('nameIdFormat')}>
          {Object.values(NAMEID_FORMATS).map((f) => (
            <option key={f} value={f}>
              {NAMEID_LABELS[f]}
            </option>
          ))}
        </select>
        <label htmlFor="saml-user-attr">The user is identified by (nameid, or an attribute name)</label>
        <input id="saml-user-attr" size={60} {...register('userAttribute')} />
        <label htmlFor="saml-skew">Clock skew allowed (seconds)</label>
        <input
          id="saml-skew"
          type="number"
          min={0}
          max={600}
          {...register('clockSkewSeconds', { valueAsNumber: true })}
        />
        <label>
          <input type="checkbox" {...register('allowIdpInitiated')} /> Allow IdP-initiated sign-in
        </label>
        {values.allowIdpInitiated && (
          <p role="note" className="warn">
            A response SSO Desk did not ask for will be accepted: any site the user visits while signed in at the IdP
            could sign them in here (login CSRF).
          </p>
        )}
        <label>
          <input type="checkbox" {...register('allowSha1')} /> Accept SHA-1 signatures
        </label>
        {values.allowSha1 && (
          <p role="note" className="warn">
            SHA-1 signatures can be forged. Switch this off once the IdP signs with RSA-SHA256.
          </p>
        )}
        <label>
          <input type="checkbox" {...register('newSpKey')} /> Generate a new SP key pair (encrypted assertions)
        </label>
        <p className="muted">
          {view.sp.keySet
            ? 'An SP key is set; its certificate is in the SP metadata. A new one must be given to the IdP.'
            : 'No SP key: the IdP must send assertions unencrypted.'}
        </p>
      </fieldset>

      <label>
        <input type="checkbox" {...register('enabled')} disabled={!view.canEnable.allowed} /> SAML SSO on for{' '}
        {view.accountName}
      </label>
      <p>
        <button type="button" onClick={() => void test()} disabled={busy}>
          Test connection
        </button>{' '}
        <button type="submit" disabled={busy}>
          Save
        </button>{' '}
        {formState.isDirty && <span className="muted">Unsaved changes</span>}
      </p>
      <Notice message={message} />
      {report && <TestReportView report={report} stale={formState.isDirty} />}
      <SamlTestSignin view={view} dirty={formState.isDirty} />
    </form>
  );
}

function SamlTestSignin({ view, dirty }: { view: SamlConfigView; dirty: boolean }) {
  const [email, setEmail] = useState('');
  const [status, setStatus] = useState<FlowStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const timer = useRef<number | null>(null);
  useEffect(() => () => void (timer.current !== null && window.clearInterval(timer.current)), []);
  const start = async () => {
    setProblem(null);
    setStatus(null);
    const r = await api.sso.signin.start({ email, account: view.account, test: true, protocol: 'saml' });
    if (!r.ok) return setProblem(r.error.message);
    if (r.value.openedBy === 'console' && transport === 'http')
      window.open(r.value.authorizationUrl, '_blank', 'noopener');
    timer.current = window.setInterval(() => {
      void api.sso.signin.status({ flowId: r.value.flowId }).then((s) => {
        if (!s.ok) return;
        setStatus(s.value);
        if (s.value.state === 'signed_in' || s.value.state === 'failed') {
          if (timer.current !== null) window.clearInterval(timer.current);
          timer.current = null;
        }
      });
    }, 1000);
  };
  const why = !view.configured ? 'Save the settings first.' : dirty ? 'Save or discard your changes first.' : null;
  return (
    <section aria-labelledby="saml-test-signin" className="card">
      <h2 id="saml-test-signin">Test sign-in (SAML)</h2>
      <p className="muted">
        Sign in through the IdP with the saved SAML settings, as a member of {view.accountName}. Nothing is switched on;
        no session is opened.
      </p>
      <label htmlFor="saml-test-email">Your email</label>
      <input
        id="saml-test-email"
        type="email"
        size={32}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />{' '}
      <button type="button" onClick={() => void start()} disabled={why !== null || !email}>
        Test sign-in
      </button>
      {why && <p className="muted">{why}</p>}
      {problem && <p role="alert">{problem}</p>}
      {status && (
        <p role="status">
          {status.state === 'signed_in'
            ? `Test sign-in worked for ${status.email}.`
            : status.state === 'failed'
              ? `Test sign-in failed: ${status.error?.message ?? ''}`
              : 'Waiting for the IdP…'}
        </p>
      )}
    </section>
  );
}
