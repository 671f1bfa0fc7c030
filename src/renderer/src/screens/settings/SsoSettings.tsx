import { useEffect, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { AccountSummary } from '@shared/contract/workspace';
import {
  OidcDraftInput,
  type EnforcementView,
  type OidcConfigView,
  type TestReport,
  type SigninDraftInput,
} from '@shared/contract/oidc';
import {
  PRESET_DEFINITIONS,
  findPreset,
  redirectPortAfterPresetSwitch,
  registeredRedirectUri,
} from '@shared/oidc-presets';
import { TestReportView } from './TestReportView';
import { parseScopes, validateOidcDraft } from '@shared/oidc-config';
import { effectiveIssuer, oidcFingerprint, type StoredOidc } from '@shared/oidc-fingerprint';
import type { Preset } from '@shared/domain';
import { api } from '../../api';
import { useAccountChoice } from '../../components/useAccountChoice';
import { Notice } from '../../components/Notice';
import { AccountSelect } from '../../components/AccountSelect';
import { useDraft } from '../../components/ui/draft';
import { useConfirm } from '../../components/ui/ConfirmDialog';
import { useToast } from '../../components/ui/Toast';
import { useUnsaved } from '../../components/ui/unsaved';
import { ClientFields, type ClientFieldsValue } from './sso/ClientFields';
import { TestSignin } from './sso/TestSignin';
import { LiveEditGates, RevertLastWorking, SaveBar, type SaveMessage } from './sso/LiveEdit';
import { StageLists, StagedEnforcement, fetchStagePreview, useStagePreview } from './sso/Stage';
import { describeStage } from '@shared/sso-stage';

/**
 * The form's state: a plain object of the contract's input type (`sso.oidc.save`), so a field added
 * to the contract slots in here (give it a value in `toForm` and a control that reads `form`).
 */
export type SsoFormValues = Omit<z.output<typeof OidcDraftInput>, 'clientSecret'> & { clientSecret: string };

/** The words a person reads for each field, also in messages that come back from the engine. */
const FIELD_LABELS: Record<string, string> = {
  enabled: 'SSO',
  preset: 'Identity provider',
  issuer: 'IdP URL (issuer)',
  clientId: 'Client ID',
  clientSecret: 'Client Secret',
  scopes: 'Scopes',
  redirectHost: 'Redirect URL',
};
const labelOf = (field: string): string => FIELD_LABELS[field] ?? field.replace(/^presetParams\./, '');
/** "clientId: required" → "Client ID: required" (engine messages name fields by their input path). */
export const withLabels = (message: string): string =>
  message.replace(
    /\b(enabled|preset|issuer|clientId|clientSecret|scopes|redirectHost|presetParams\.[A-Za-z]+):/g,
    (_m, f: string) => `${labelOf(f)}:`,
  );

/** The contract's schema plus the shared checks (issuer URL, scopes, preset values), each on its field. */
const resolver = zodResolver(
  OidcDraftInput.superRefine((d, ctx) => {
    for (const p of validateOidcDraft({ ...d, issuer: effectiveIssuer(d) || d.issuer })) {
      ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
    }
  }),
) as unknown as Resolver<SsoFormValues>;

function toForm(v: OidcConfigView): SsoFormValues {
  return {
    account: v.account,
    enabled: v.enabled,
    preset: v.preset,
    presetParams: v.presetParams,
    issuer: v.issuer,
    clientId: v.clientId,
    clientSecret: '',
    clearClientSecret: false,
    scopes: v.scopes,
    redirectHost: v.redirectHost,
    redirectPort: v.redirectPort,
    clientAuth: v.clientAuth,
    userClaim: v.userClaim,
    actor: 'console admin',
    ownerPassword: v.enforcement.ownerPassword.on,
    stage: v.enforcement.stage,
  };
}

/** What the engine is sent: the issuer a preset builds; the secret only when one was typed. */
function toInput(d: SsoFormValues): z.input<typeof OidcDraftInput> {
  const { clientSecret, ...rest } = d;
  return { ...rest, issuer: effectiveIssuer(d), ...(clientSecret ? { clientSecret } : {}) };
}

/** The saved settings as the shared fingerprint takes them (the engine builds the same from its row). */
const storedOf = (v: OidcConfigView): StoredOidc | undefined =>
  v.configured
    ? {
        preset: v.preset,
        presetParams: v.presetParams,
        issuer: v.issuer,
        clientId: v.clientId,
        scopes: v.scopes,
        redirectHost: v.redirectHost,
        redirectPort: v.redirectPort,
        clientAuth: v.clientAuth,
        userClaim: v.userClaim,
        secretRef: v.clientSecretRef,
        keyRef: v.clientKeyRef,
      }
    : undefined;
/** The fingerprint of the draft as the engine will see it (what Test connection records, what Save checks). */
const fingerprintOf = (d: SsoFormValues, v: OidcConfigView): string => oidcFingerprint(toInput(d), storedOf(v));

/** Settings > Security > SSO: one account's OpenID Connect settings. */
export function SsoSettings() {
  const [accounts, setAccounts] = useState<AccountSummary[]>([]);
  const [account, setAccount] = useAccountChoice(accounts.map((a) => a.id));
  const leave = useUnsaved((s) => s.leave);
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
      <AccountSelect
        accounts={accounts}
        value={account}
        onChange={(id) => id !== account && leave(() => setAccount(id))}
        showPlan
      />
      {account && <SsoLoader key={account} account={account} />}
    </section>
  );
}

function SsoLoader({ account }: { account: string }) {
  const [view, setView] = useState<OidcConfigView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    void api.sso.oidc.get({ account }).then((r) => (r.ok ? setView(r.value) : setFailure(r.error.message)));
  }, [account]);
  if (failure) return <p role="alert">{failure}</p>;
  if (!view) return <p>Loading…</p>;
  return <SsoForm view={view} onSaved={setView} />;
}

interface TestResult {
  report: TestReport;
  /** The fingerprint of the draft the test ran on: once a field the IdP sees changes, the result is stale. */
  fingerprint: string;
}

function SsoForm({ view, onSaved }: { view: OidcConfigView; onSaved: (v: OidcConfigView) => void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // The answer to Save and Revert, shown in the save bar (next to the button that was pressed).
  const [saveMessage, setSaveMessage] = useState<SaveMessage>(null);
  const [enforcement, setEnforcement] = useState<EnforcementView>(view.enforcement);
  const [test, setTest] = useState<TestResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [copied, setCopied] = useState(false);
  const resultRef = useRef<HTMLElement>(null);
  const saved = useMemo(() => toForm(view), [view]);
  useEffect(() => setEnforcement(view.enforcement), [view]);

  const refreshEnforcement = async () => {
    const r = await api.sso.oidc.get({ account: view.account });
    if (r.ok) setEnforcement(r.value.enforcement);
  };

  const draft = useDraft<SsoFormValues>({
    label: `SSO settings of ${view.accountName}`,
    saved,
    resolver,
    onSave: async (values) => {
      const turningOn = values.enabled && !view.enabled;
      let confirmLockout: number | undefined;
      const fp = fingerprintOf(values, view);
      const signedIn = enforcement.lastSignin?.fingerprint === fp && enforcement.lastSignin.withinWindow;
      const tested = enforcement.lastTest?.fingerprint === fp && enforcement.lastTest.ok;
      const keepOwners = values.ownerPassword ?? enforcement.ownerPassword.on;
      const stage = values.stage === undefined ? enforcement.stage : values.stage;
      // A test that could not confirm the client needs a test sign-in: no confirmation can stand in for it.
      if (turningOn && tested && !signedIn && !enforcement.lastTest?.unconfirmed) {
        // Exactly whom Save moves: the engine checks the confirmed count against the same preview.
        const who = await fetchStagePreview(view.account, stage, keepOwners);
        const count = who?.moving.length ?? enforcement.activeMembers - (keepOwners ? enforcement.activeOwners : 0);
        const users = `${count} ${count === 1 ? 'user' : 'users'}`;
        const yes = await confirm({
          title: `Switch SSO on for ${view.accountName}?`,
          description: (
            <>
              <p>
                <strong>{users}</strong> of {view.accountName} lose password login and must use “Sign in with SSO”
                through {effectiveIssuer(values)}
                {stage ? ` (SSO is required for ${describeStage(stage)} first)` : ''}.
              </p>
              <p>
                No test sign-in through this IdP in the last {enforcement.signinWindowMinutes} minutes proves that they
                can.
              </p>
              {keepOwners && <p>Owners keep their password (owner break-glass is on).</p>}
              {who && <StageLists preview={who} />}
            </>
          ),
          confirmLabel: `Switch SSO on: ${users} lose password login`,
          destructive: true,
        });
        if (!yes) return null;
        confirmLockout = count;
      } else if (view.enabled && values.enabled && JSON.stringify(stage) !== JSON.stringify(enforcement.stage)) {
        // SSO is on and the stage changes: members move to SSO (or get their password back) at Save.
        const who = await fetchStagePreview(view.account, stage, keepOwners);
        const yes = await confirm({
          title: `Require SSO for ${describeStage(stage)} of ${view.accountName}?`,
          description: (
            <>
              <p>
                From Save on, password login is refused for {describeStage(stage)}
                {stage ? '; the others keep their password for now' : ''}.
              </p>
              {who && <StageLists preview={who} />}
            </>
          ),
          confirmLabel: `Require SSO: ${who?.moving.length ?? '?'} on SSO`,
          destructive: true,
        });
        if (!yes) return null;
      }
      const r = await api.sso.oidc.save({
        ...toInput(values),
        ...(confirmLockout !== undefined ? { confirmLockout } : {}),
      });
      if (!r.ok) {
        const text = withLabels(r.error.message);
        if (r.error.field && r.error.field in values)
          draft.form.setError(r.error.field as keyof SsoFormValues, { message: text });
        setSaveMessage({ ok: false, text });
        return null;
      }
      // Saved exactly what Test connection ran on (a typed secret became the stored one): the result stays good.
      const savedFp = r.value.enforcement.fingerprint;
      if (savedFp !== null) setTest((t) => (t && t.fingerprint === fp ? { ...t, fingerprint: savedFp } : t));
      onSaved(r.value);
      const owners = r.value.enforcement.ownerPassword.on ? ' (owners excepted)' : '';
      const staged = r.value.enforcement.stage;
      const text = !r.value.enabled
        ? `Saved. SSO is off for ${r.value.accountName}: password login works.`
        : staged
          ? `Saved. SSO is on for ${r.value.accountName}: password login is refused for ${describeStage(staged)}` +
            `${owners} (${r.value.enforcement.usersLosingPassword} now); the others keep their password for now.`
          : `Saved. SSO is on for ${r.value.accountName}: password login is refused for its users${owners}.`;
      const warned = r.value.scopeWarning ? `${text} Warning — Scopes: ${r.value.scopeWarning}.` : text;
      setSaveMessage({ ok: true, text: warned });
      toast(warned);
      return toForm(r.value);
    },
  });
  const { form } = draft;
  const d = form.watch();
  const errors = form.formState.errors;
  const preset = (d.preset ?? 'generic') as Preset;
  const presetDef = findPreset(preset);
  const builtIssuer = preset === 'generic' ? null : effectiveIssuer(d);
  const fixedPort = d.redirectPort === undefined ? view.redirectPort : d.redirectPort;
  const redirectUri = registeredRedirectUri(
    d.redirectHost ?? '127.0.0.1',
    fixedPort === null || Number.isNaN(fixedPort) ? null : fixedPort,
  );
  const clientValue: ClientFieldsValue = {
    redirectPort: d.redirectPort,
    clientAuth: d.clientAuth,
    userClaim: d.userClaim,
    clientPrivateKey: d.clientPrivateKey,
    newClientKey: d.newClientKey,
  };
  const setClient = (next: ClientFieldsValue) => {
    for (const [k, v] of Object.entries(next) as Array<[keyof ClientFieldsValue, unknown]>) {
      if (clientValue[k] !== v) form.setValue(k, v as never, { shouldDirty: true });
    }
  };
  const fp = fingerprintOf(d, view);
  const stale = test !== null && test.fingerprint !== fp;
  const problemOf = (field: string): string | undefined => {
    const parts = field.split('.');
    let node: unknown = errors;
    for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
    return (node as { message?: string } | undefined)?.message;
  };

  const switchPreset = (next: Preset) => {
    // Rebuild or clear what the old preset built: its values go, and back on "any IdP" the built issuer goes too.
    form.setValue('presetParams', {}, { shouldDirty: true, shouldValidate: true });
    if (next === 'generic' && preset !== 'generic') form.setValue('issuer', '', { shouldDirty: true });
    // Okta matches the redirect port exactly: its preset proposes a fixed port, and takes it back after.
    const port = d.redirectPort === undefined ? view.redirectPort : d.redirectPort;
    const nextPort = redirectPortAfterPresetSwitch(preset, next, port);
    if (nextPort !== port) form.setValue('redirectPort', nextPort, { shouldDirty: true, shouldValidate: true });
    form.setValue('preset', next, { shouldDirty: true, shouldValidate: true });
  };

  const runTest = async () => {
    setTesting(true);
    setTest(null);
    const { enabled: _e, actor: _a, confirmLockout: _c, ownerPassword: _o, stage: _s, ...rest } = toInput(d);
    const fingerprint = fp;
    const r = await api.sso.oidc.test(rest);
    setTesting(false);
    if (r.ok) {
      setTest({ report: r.value, fingerprint });
      await refreshEnforcement();
      resultRef.current?.focus();
    } else setMessage({ ok: false, text: withLabels(r.error.message) });
  };
  const copy = async () => {
    await navigator.clipboard?.writeText(redirectUri).catch(() => undefined);
    setCopied(true);
  };

  const turningOn = Boolean(d.enabled) && !view.enabled;
  // An edit of a live setup (SSO on before and after) that the IdP would see: guarded like switch-on.
  const liveEdit = view.enabled && Boolean(d.enabled) && fp !== enforcement.fingerprint;
  const identityChanged =
    effectiveIssuer(d).replace(/\/+$/, '') !== view.issuer.replace(/\/+$/, '') ||
    (d.clientId ?? '').trim() !== view.clientId;
  const stage = d.stage === undefined ? enforcement.stage : d.stage;
  const preview = useStagePreview(view.account, stage, Boolean(d.ownerPassword));
  const losing = preview?.moving.length ?? enforcement.activeMembers - (d.ownerPassword ? enforcement.activeOwners : 0);
  const testPassed = enforcement.lastTest?.fingerprint === fp && enforcement.lastTest.ok;
  const clientUnconfirmed = testPassed && Boolean(enforcement.lastTest?.unconfirmed);
  const signedIn = enforcement.lastSignin?.fingerprint === fp && enforcement.lastSignin.withinWindow;

  return (
    <form
      aria-label={`SSO settings for ${view.accountName}`}
      onSubmit={(e) => {
        e.preventDefault();
        void draft.save();
      }}
    >
      <p className="muted" aria-label="Saved state">
        Saved: SSO is <strong>{view.enabled ? 'on' : 'off'}</strong> for {view.accountName}
        {view.enabled && view.enabledAt
          ? ` — enforced since ${new Date(view.enabledAt).toISOString().slice(0, 10)} by ${view.enabledBy}`
          : ''}
        .
      </p>
      <label className="check">
        {/* Not registered: react-hook-form leaves a disabled input out of the values, and the plan may disable this one. */}
        <input
          type="checkbox"
          role="switch"
          aria-label="SSO"
          checked={Boolean(d.enabled)}
          disabled={!view.canEnable.allowed && !d.enabled}
          onChange={(e) => form.setValue('enabled', e.target.checked, { shouldDirty: true })}
        />
        SSO {d.enabled ? 'on' : 'off'}
        {Boolean(d.enabled) !== view.enabled && <span className="warn"> — not saved yet</span>}
      </label>
      {!view.canEnable.allowed && (
        <p className="warn" role="note">
          {view.canEnable.reason}
        </p>
      )}
      {turningOn && (
        <section aria-label="Before SSO is switched on" className="card">
          <h2>Before SSO is switched on</h2>
          <p>
            Switching SSO on takes password login away from {losing} {losing === 1 ? 'user' : 'users'} of{' '}
            {view.accountName}.
          </p>
          <ul className="gates">
            <li className={testPassed ? (clientUnconfirmed ? 'warn' : 'good') : 'bad'}>
              {testPassed
                ? clientUnconfirmed
                  ? '⚠ Test connection passed for these settings, but the client is not confirmed — a Test sign-in will tell'
                  : '✓ Test connection passed for these settings'
                : '✗ Test connection has not passed for these settings yet'}
            </li>
            <li className={signedIn ? 'good' : clientUnconfirmed ? 'bad' : 'warn'}>
              {signedIn
                ? `✓ Test sign-in by ${enforcement.lastSignin!.email} in the last ${enforcement.signinWindowMinutes} minutes`
                : clientUnconfirmed
                  ? `✗ No test sign-in in the last ${enforcement.signinWindowMinutes} minutes: needed, ` +
                    `since Test connection could not confirm the client`
                  : `⚠ No test sign-in in the last ${enforcement.signinWindowMinutes} minutes: Save will ` +
                    `ask you to confirm who loses password login`}
            </li>
          </ul>
        </section>
      )}

      {liveEdit && (
        <LiveEditGates view={view} enforcement={enforcement} fingerprint={fp} identityChanged={identityChanged} />
      )}
      <RevertLastWorking
        view={view}
        onReverted={(v, m) => {
          if (m?.ok) onSaved(v);
          setSaveMessage(m);
        }}
      />

      <label htmlFor="sso-preset">Identity provider</label>
      <select id="sso-preset" value={preset} onChange={(e) => switchPreset(e.target.value as Preset)}>
        <option value="generic">Any OpenID Connect IdP</option>
        {PRESET_DEFINITIONS.map((p) => (
          <option key={p.id} value={p.id} disabled={!view.canUsePresets.allowed}>
            {p.vendor}
          </option>
        ))}
      </select>
      {!view.canUsePresets.allowed && (
        <p className="muted" role="note">
          {view.canUsePresets.reason}
        </p>
      )}

      {presetDef?.params.map((p) => (
        <div key={`${preset}-${p.key}`}>
          <label htmlFor={`sso-param-${p.key}`}>{p.label}</label>
          {p.choices ? (
            <select id={`sso-param-${p.key}`} {...form.register(`presetParams.${p.key}`)} defaultValue="">
              <option value="">Choose…</option>
              {p.choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`sso-param-${p.key}`}
              placeholder={p.placeholder}
              aria-invalid={problemOf(`presetParams.${p.key}`) ? true : undefined}
              {...form.register(`presetParams.${p.key}`)}
            />
          )}
          <FieldNote label={p.label} hint={p.hint} problem={problemOf(`presetParams.${p.key}`)} />
        </div>
      ))}

      <label htmlFor="sso-issuer">IdP URL (issuer)</label>
      {preset === 'generic' ? (
        <input
          id="sso-issuer"
          size={60}
          placeholder="https://idp.example.com"
          aria-invalid={problemOf('issuer') ? true : undefined}
          {...form.register('issuer')}
        />
      ) : (
        <input
          id="sso-issuer"
          size={60}
          readOnly
          value={builtIssuer ?? ''}
          placeholder={`Built once the ${presetDef?.vendor ?? 'preset'} values above are filled in`}
        />
      )}
      <FieldNote
        label="IdP URL (issuer)"
        hint={
          preset === 'generic'
            ? 'The issuer: its discovery document is at /.well-known/openid-configuration'
            : builtIssuer
              ? 'Built from the values above'
              : 'Nothing built yet: fill in the values above'
        }
        problem={problemOf('issuer')}
      />

      <label htmlFor="sso-client-id">Client ID</label>
      <input
        id="sso-client-id"
        size={40}
        aria-invalid={problemOf('clientId') ? true : undefined}
        {...form.register('clientId')}
      />
      <FieldNote label="Client ID" problem={problemOf('clientId')} />

      <label htmlFor="sso-client-secret">Client Secret</label>
      <input
        id="sso-client-secret"
        type="password"
        autoComplete="new-password"
        size={40}
        placeholder={
          view.clientSecretSet ? 'A secret is set — type to replace it' : 'None: a public client (PKCE only)'
        }
        {...form.register('clientSecret')}
      />
      <p className="muted" aria-label="Client secret status">
        {view.clientSecretSet
          ? 'A client secret is stored (encrypted). It is never shown again.'
          : 'No client secret: the app is a public client; PKCE protects the code exchange and no client_secret is sent.'}
      </p>
      {view.clientSecretSet && (
        <label className="check">
          <input type="checkbox" {...form.register('clearClientSecret')} /> Remove the stored secret (make it a public
          client)
        </label>
      )}

      <ScopesInput
        value={d.scopes ?? []}
        onChange={(s) => form.setValue('scopes', s, { shouldDirty: true, shouldValidate: true })}
        problem={problemOf('scopes')}
      />

      <ClientFields
        view={view}
        preset={preset}
        redirectHost={d.redirectHost ?? '127.0.0.1'}
        value={clientValue}
        onChange={setClient}
        problemOf={problemOf}
      />

      <h2>Redirect URL to register at the IdP</h2>
      <p>
        <input aria-label="Redirect URL" readOnly size={34} value={redirectUri} />{' '}
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
      <p className="muted">Loopback, any port (RFC 8252 §7.3): SSO Desk listens on a free port for each sign-in.</p>
      <label className="check">
        <input
          type="checkbox"
          checked={d.redirectHost === 'localhost'}
          onChange={(e) =>
            form.setValue('redirectHost', e.target.checked ? 'localhost' : '127.0.0.1', { shouldDirty: true })
          }
        />{' '}
        Use localhost instead (for IdPs that accept only that host)
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

      <h2>Owner break-glass</h2>
      <label className="check">
        <input
          type="checkbox"
          role="switch"
          aria-describedby="sso-break-glass-why"
          {...form.register('ownerPassword')}
        />{' '}
        Owners may still use their password for {view.accountName}
      </label>
      <p id="sso-break-glass-why" className="muted">
        Off by default. While SSO is on, it keeps a way in for owners if the IdP fails; every change is audited.
      </p>

      <StagedEnforcement
        accountName={view.accountName}
        stage={stage}
        saved={enforcement.stage}
        preview={preview}
        onChange={(next) => form.setValue('stage', next, { shouldDirty: true })}
      />

      <p>
        <button type="button" onClick={() => void runTest()} disabled={testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </button>
      </p>
      <Notice message={message} />
      {test && <TestReportView report={test.report} stale={stale} sectionRef={resultRef} />}
      <TestSignin
        view={view}
        dirty={draft.dirty}
        draft={draft.dirty ? testSigninDraft(d) : null}
        onDone={() => void refreshEnforcement()}
        labelled={withLabels}
      />
      <SaveBar
        dirty={draft.dirty}
        saving={draft.saving}
        onSave={() => {
          setSaveMessage(null);
          void draft.save();
        }}
        onDiscard={draft.discard}
        what={`the SSO settings of ${view.accountName}`}
        message={saveMessage}
      />
    </form>
  );
}

/** What a test sign-in through unsaved settings sends: the draft as Save would, without the switches. */
function testSigninDraft(d: SsoFormValues): SigninDraftInput {
  const {
    account: _a,
    enabled: _e,
    actor: _c,
    confirmLockout: _l,
    ownerPassword: _o,
    stage: _s,
    ...rest
  } = toInput(d) as SsoFormValues;
  return rest;
}

/** Scopes as typed (spaces and commas) ↔ the list the contract holds; the text survives while typing. */
function ScopesInput({
  value,
  onChange,
  problem,
}: {
  value: readonly string[];
  onChange: (s: string[]) => void;
  problem: string | undefined;
}) {
  const [text, setText] = useState(value.join(' '));
  useEffect(() => {
    if (parseScopes(text).join(' ') !== value.join(' ')) setText(value.join(' '));
    // Only an outside change (discard, load) rewrites the text.
  }, [value.join(' ')]);
  return (
    <>
      <label htmlFor="sso-scopes">Scopes</label>
      <input
        id="sso-scopes"
        size={40}
        value={text}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseScopes(e.target.value));
        }}
      />
      <FieldNote label="Scopes" hint="Separated by spaces; openid is required" problem={problem} />
    </>
  );
}

function FieldNote({
  label,
  hint,
  problem,
}: {
  label: string;
  hint?: string | undefined;
  problem?: string | undefined;
}) {
  if (problem)
    return <p className="field-error">{problem.startsWith(`${label}:`) ? problem : `${label}: ${problem}`}</p>;
  return hint ? <p className="muted">{hint}</p> : null;
}
