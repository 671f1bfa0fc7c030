import { useEffect, useState } from 'react';
import type { AccountSummary } from '@shared/contract/workspace';
import type { OidcConfigView } from '@shared/contract/oidc';
import { effectiveIssuer } from '@shared/oidc-fingerprint';
import { api } from '@renderer/api';
import { useAccountChoice } from '@renderer/components/useAccountChoice';
import { AccountSelect } from '@renderer/components/AccountSelect';
import { useUnsaved } from '@renderer/components/ui/unsaved';
import { ClientFields, type ClientFieldsValue } from './sso/ClientFields';
import { ClientCredentials } from './sso/ClientCredentials';
import { EnableSwitch, SwitchOnGates } from './sso/EnableSwitch';
import { IssuerInput } from './sso/IssuerInput';
import { LiveEditGates, RevertLastWorking, SaveBar } from './sso/LiveEdit';
import { OwnerBreakGlass } from './sso/OwnerBreakGlass';
import { PresetFields, presetOf } from './sso/PresetFields';
import { RedirectUrl } from './sso/RedirectUrl';
import { ScopesInput } from './sso/ScopesInput';
import { StagedEnforcement, useStagePreview } from './sso/Stage';
import { TestConnection, useConnectionTest } from './sso/TestConnection';
import { TestSignin } from './sso/TestSignin';
import { useEnforcement, useSsoDraft } from './sso/useSsoDraft';
import { fingerprintOf, problemIn, testSigninDraft, withLabels, type SsoFieldsProps } from './sso/oidc-draft';

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

/** One account's OIDC settings as a draft; each section of the form is a component in ./sso. */
function SsoForm({ view, onSaved }: { view: OidcConfigView; onSaved: (v: OidcConfigView) => void }) {
  const [enforcement, refreshEnforcement] = useEnforcement(view);
  const connection = useConnectionTest(refreshEnforcement);
  const { draft, saveMessage, setSaveMessage } = useSsoDraft({
    view,
    enforcement,
    onSaved,
    onFingerprintSaved: connection.carry,
  });
  const { form } = draft;
  const d = form.watch();
  const errors = form.formState.errors;
  const fields: SsoFieldsProps = { view, form, d, problemOf: (field) => problemIn(errors, field) };
  const fp = fingerprintOf(d, view);

  const turningOn = Boolean(d.enabled) && !view.enabled;
  // An edit of a live setup (SSO on before and after) that the IdP would see: guarded like switch-on.
  const liveEdit = view.enabled && Boolean(d.enabled) && fp !== enforcement.fingerprint;
  const identityChanged =
    effectiveIssuer(d).replace(/\/+$/, '') !== view.issuer.replace(/\/+$/, '') ||
    (d.clientId ?? '').trim() !== view.clientId;
  const stage = d.stage === undefined ? enforcement.stage : d.stage;
  const preview = useStagePreview(view.account, stage, Boolean(d.ownerPassword));
  const losing = preview?.moving.length ?? enforcement.activeMembers - (d.ownerPassword ? enforcement.activeOwners : 0);

  return (
    <form
      aria-label={`SSO settings for ${view.accountName}`}
      onSubmit={(e) => {
        e.preventDefault();
        void draft.save();
      }}
    >
      <EnableSwitch {...fields} />
      {turningOn && <SwitchOnGates view={view} enforcement={enforcement} fingerprint={fp} losing={losing} />}

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

      <PresetFields {...fields} />
      <IssuerInput {...fields} />
      <ClientCredentials {...fields} />
      <ScopesInput
        value={d.scopes ?? []}
        onChange={(s) => form.setValue('scopes', s, { shouldDirty: true, shouldValidate: true })}
        problem={fields.problemOf('scopes')}
      />
      <SsoClientFields {...fields} />
      <RedirectUrl {...fields} />
      <OwnerBreakGlass accountName={view.accountName} form={form} />

      <StagedEnforcement
        accountName={view.accountName}
        stage={stage}
        saved={enforcement.stage}
        preview={preview}
        onChange={(next) => form.setValue('stage', next, { shouldDirty: true })}
      />

      <TestConnection connection={connection} d={d} fingerprint={fp} />
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

/** ClientFields edits a slice of the draft: hand it that slice, and write back only what it changed. */
function SsoClientFields({ view, form, d, problemOf }: SsoFieldsProps) {
  const value: ClientFieldsValue = {
    redirectPort: d.redirectPort,
    clientAuth: d.clientAuth,
    userClaim: d.userClaim,
    clientPrivateKey: d.clientPrivateKey,
    newClientKey: d.newClientKey,
  };
  const onChange = (next: ClientFieldsValue) => {
    for (const [k, v] of Object.entries(next) as Array<[keyof ClientFieldsValue, unknown]>) {
      if (value[k] !== v) form.setValue(k, v as never, { shouldDirty: true });
    }
  };
  return (
    <ClientFields
      view={view}
      preset={presetOf(d)}
      redirectHost={d.redirectHost ?? '127.0.0.1'}
      value={value}
      onChange={onChange}
      problemOf={problemOf}
    />
  );
}
