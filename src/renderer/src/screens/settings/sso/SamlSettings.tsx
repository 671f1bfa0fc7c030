import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { downloadText } from '@renderer/components/download';
import type { UseFormReturn } from 'react-hook-form';
import type { AccountSummary } from '@shared/contract/workspace';
import type { TestReport } from '@shared/contract/oidc';
import type { SamlConfigView } from '@shared/contract/saml';
import { NAMEID_FORMATS, SAML_PRESETS, type SamlPreset } from '@shared/saml-config';
import { SAML_PRESET_INFO } from '@shared/saml-presets';
import { api } from '@renderer/api';
import { useAccountChoice } from '@renderer/components/useAccountChoice';
import { AccountSelect } from '@renderer/components/AccountSelect';
import { TestReportView } from '../TestReportView';
import { useDraft } from '@renderer/components/ui/draft';
import { Field } from '@renderer/components/ui/Field';
import { SaveBar, type SaveMessage } from './LiveEdit';
import { TestSignin } from './TestSignin';

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
 * hand, the checks' options, Test connection and Test sign-in. A draft until Save (leaving asks first);
 * switching on needs a passing test of exactly these settings (the engine refuses otherwise, with the
 * reason, shown in the save bar).
 */
export function SamlSettings() {
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [account, setAccount] = useAccountChoice(accounts.map((a) => a.id));
  const [view, setView] = useState<SamlConfigView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void api.workspace.accounts().then((r) => r.ok && setAccounts(r.value));
  }, []);
  useEffect(() => {
    if (!account) return;
    setProblem(null);
    void api.sso.saml.get({ account }).then((r) => (r.ok ? setView(r.value) : setProblem(r.error.message)));
  }, [account]);

  if (problem) return <p role="alert">{problem}</p>;
  if (!view || view.account !== account) return <p>Loading…</p>;
  return (
    <SamlForm key={view.account} view={view} onView={setView}>
      <AccountSelect accounts={accounts} value={account} onChange={setAccount} showPlan />
    </SamlForm>
  );
}

type Form = UseFormReturn<SamlForm>;

/**
 * The draft and its layout; the parts (PresetChoice, RegisterAtIdp, IdpFields, CheckFields, TestSignin,
 * SaveBar) are components.
 */
function SamlForm({
  view,
  onView,
  children,
}: {
  view: SamlConfigView;
  onView: (v: SamlConfigView) => void;
  children: ReactNode;
}) {
  const [message, setMessage] = useState<SaveMessage>(null);
  const [report, setReport] = useState<TestReport | null>(null);
  const [busy, setBusy] = useState(false);
  const saved = useMemo(() => toForm(view), [view]);
  const draft = useDraft<SamlForm>({
    label: `the SAML settings of ${view.accountName}`,
    saved,
    onSave: async (f) => {
      setMessage(null);
      const r = await api.sso.saml.save({ ...toDraft(view.account, f), enabled: f.enabled });
      if (!r.ok) {
        // The engine's refusals of a guarded save already say that nothing was saved.
        const m = r.error.message;
        setMessage({ ok: false, text: /nothing was saved/i.test(m) ? m : `Not saved: ${m}` });
        return null;
      }
      onView(r.value);
      setMessage({
        ok: true,
        text: `Saved: SAML SSO is ${r.value.enabled ? 'on' : 'off'} for ${r.value.accountName}.`,
      });
      return toForm(r.value);
    },
  });
  const { form } = draft;
  const values = form.watch();

  const test = async () => {
    setBusy(true);
    const r = await api.sso.saml.test(toDraft(view.account, values));
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setReport(r.value);
  };

  return (
    <form
      aria-label="SAML 2.0 settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void draft.save();
      }}
    >
      {children}
      <PresetChoice view={view} form={form} />
      <RegisterAtIdp view={view} preset={values.preset} onMessage={setMessage} />
      <section aria-labelledby="saml-steps" className="card">
        <h2 id="saml-steps">In {SAML_PRESET_INFO[values.preset].label}</h2>
        <ol>
          {SAML_PRESET_INFO[values.preset].steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      </section>
      <IdpFields view={view} form={form} />
      <CheckFields view={view} form={form} />
      <label>
        <input type="checkbox" {...form.register('enabled')} disabled={!view.canEnable.allowed} /> SAML SSO on for{' '}
        {view.accountName}
      </label>
      <p>
        <button type="button" onClick={() => void test()} disabled={busy}>
          Test connection
        </button>
      </p>
      {report && <TestReportView report={report} stale={draft.dirty} />}
      <TestSignin
        view={view}
        protocol="saml"
        dirty={draft.dirty}
        onDone={() => void api.sso.saml.get({ account: view.account }).then((g) => g.ok && onView(g.value))}
      />
      <SaveBar
        dirty={draft.dirty}
        saving={draft.saving}
        onSave={() => void draft.save()}
        onDiscard={() => {
          setMessage(null);
          draft.discard();
        }}
        what={`the SAML settings of ${view.accountName}`}
        message={message}
      />
    </form>
  );
}

/** Why SAML cannot be switched on here (OIDC on, the plan), and the IdP preset the plan allows. */
function PresetChoice({ view, form }: { view: SamlConfigView; form: Form }) {
  return (
    <>
      {view.oidcEnabled && (
        <p role="note" className="warn">
          OIDC SSO is on for {view.accountName}. An account uses OIDC or SAML, not both: switch OIDC off before
          switching SAML on.
        </p>
      )}
      {!view.canEnable.allowed && <p className="muted">{view.canEnable.reason}</p>}
      <Field id="saml-preset" label="Identity provider">
        <select id="saml-preset" {...form.register('preset')}>
          {SAML_PRESETS.map((p) => (
            <option key={p} value={p} disabled={p !== 'generic' && !view.canUsePresets.allowed}>
              {SAML_PRESET_INFO[p].label}
            </option>
          ))}
        </select>
      </Field>
      {!view.canUsePresets.allowed && <p className="muted">{view.canUsePresets.reason}</p>}
    </>
  );
}

/** The SP's names the admin registers at the IdP, in the preset's words, and the SP metadata. */
function RegisterAtIdp(props: { view: SamlConfigView; preset: SamlPreset; onMessage: (m: SaveMessage) => void }) {
  const { view } = props;
  const info = SAML_PRESET_INFO[props.preset];
  const metadata = async (how: 'copy' | 'download') => {
    const r = await api.sso.saml.metadata({ account: view.account });
    if (!r.ok) return props.onMessage({ ok: false, text: r.error.message });
    if (how === 'copy') {
      await navigator.clipboard?.writeText(r.value.xml).catch(() => undefined);
      props.onMessage({ ok: true, text: 'SP metadata XML copied.' });
    } else {
      downloadText(r.value.xml, 'application/samlmetadata+xml', r.value.fileName);
    }
  };
  return (
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
  );
}

/** Where the IdP's settings come from: kept, a metadata URL or file, or typed by hand. */
function IdpFields({ view, form }: { view: SamlConfigView; form: Form }) {
  const values = form.watch();
  const info = SAML_PRESET_INFO[values.preset];
  return (
    <fieldset>
      <legend>IdP settings</legend>
      <div role="radiogroup" aria-label="Where the IdP settings come from">
        {view.configured && (
          <label>
            <input type="radio" value="keep" {...form.register('idpSource')} /> Keep the saved IdP ({view.idp.entityId})
          </label>
        )}
        <label>
          <input type="radio" value="url" {...form.register('idpSource')} /> Metadata URL
        </label>
        <label>
          <input type="radio" value="file" {...form.register('idpSource')} /> Metadata file
        </label>
        <label>
          <input type="radio" value="hand" {...form.register('idpSource')} /> By hand
        </label>
      </div>
      {values.idpSource === 'keep' && view.configured && (
        <p className="muted">
          Saved SSO URL <code>{view.idp.ssoUrl}</code>; SSO Desk sends the AuthnRequest by{' '}
          {view.idp.authnRequestBinding}
          {view.idp.authnRequestBinding === 'HTTP-POST' ? ' (the IdP’s metadata offers only that)' : ''}.
        </p>
      )}
      {values.idpSource === 'url' && (
        <>
          <label htmlFor="saml-metadata-url">IdP metadata URL</label>
          <input
            id="saml-metadata-url"
            size={60}
            placeholder={info.metadataHint}
            {...form.register('idpMetadataUrl')}
          />
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
              if (file) void file.text().then((t) => form.setValue('idpMetadataXml', t, { shouldDirty: true }));
            }}
          />
        </>
      )}
      {values.idpSource === 'hand' && (
        <>
          <label htmlFor="saml-entity-id">IdP entity ID (Issuer)</label>
          <input id="saml-entity-id" size={60} {...form.register('entityId')} />
          <label htmlFor="saml-sso-url">IdP SSO URL</label>
          <input id="saml-sso-url" size={60} {...form.register('ssoUrl')} />
          <label htmlFor="saml-certs">Signing certificates (PEM; several during a rollover)</label>
          <textarea id="saml-certs" rows={6} cols={66} {...form.register('certificates')} />
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
  );
}

/** How a response is checked: the ACS port, NameID, the user's attribute, clock skew, and the warned switches. */
function CheckFields({ view, form }: { view: SamlConfigView; form: Form }) {
  const values = form.watch();
  return (
    <fieldset>
      <legend>Checks</legend>
      <label htmlFor="saml-acs-port">ACS port (fixed: the IdP matches the ACS URL exactly)</label>
      <input
        id="saml-acs-port"
        type="number"
        min={1024}
        max={65535}
        {...form.register('acsPort', { valueAsNumber: true })}
      />
      <label htmlFor="saml-nameid">NameID format</label>
      <select id="saml-nameid" {...form.register('nameIdFormat')}>
        {Object.values(NAMEID_FORMATS).map((f) => (
          <option key={f} value={f}>
            {NAMEID_LABELS[f]}
          </option>
        ))}
      </select>
      <label htmlFor="saml-user-attr">The user is identified by (nameid, or an attribute name)</label>
      <input id="saml-user-attr" size={60} {...form.register('userAttribute')} />
      <label htmlFor="saml-skew">Clock skew allowed (seconds)</label>
      <input
        id="saml-skew"
        type="number"
        min={0}
        max={600}
        {...form.register('clockSkewSeconds', { valueAsNumber: true })}
      />
      <label>
        <input type="checkbox" {...form.register('allowIdpInitiated')} /> Allow IdP-initiated sign-in
      </label>
      {values.allowIdpInitiated && (
        <p role="note" className="warn">
          A response SSO Desk did not ask for will be accepted: any site the user visits while signed in at the IdP
          could sign them in here (login CSRF).
        </p>
      )}
      <label>
        <input type="checkbox" {...form.register('allowSha1')} /> Accept SHA-1 signatures
      </label>
      {values.allowSha1 && (
        <p role="note" className="warn">
          SHA-1 signatures can be forged. Switch this off once the IdP signs with RSA-SHA256.
        </p>
      )}
      <label>
        <input type="checkbox" {...form.register('newSpKey')} /> Generate a new SP key pair (encrypted assertions)
      </label>
      <p className="muted">
        {view.sp.keySet
          ? 'An SP key is set; its certificate is in the SP metadata. A new one must be given to the IdP.'
          : 'No SP key: the IdP must send assertions unencrypted.'}
      </p>
    </fieldset>
  );
}
