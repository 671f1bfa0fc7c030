import { useEffect, useMemo, useState } from 'react';
import type { EnforcementView, OidcConfigView } from '@shared/contract/oidc';
import { api } from '@renderer/api';
import { useDraft } from '@renderer/components/ui/draft';
import { useConfirm } from '@renderer/components/ui/ConfirmDialog';
import { useToast } from '@renderer/components/ui/Toast';
import type { SaveMessage } from './LiveEdit';
import { askBeforeSave, savedSentence } from './confirm-save';
import { fingerprintOf, resolver, toForm, toInput, withLabels, type SsoFormValues } from './oidc-draft';

/**
 * What the engine last recorded for this account's SSO (tests, sign-ins, the saved stage): the
 * switch-on and live-edit guards read it, and a test or test sign-in changes it without a Save.
 */
export function useEnforcement(view: OidcConfigView): [EnforcementView, () => Promise<void>] {
  const [enforcement, setEnforcement] = useState<EnforcementView>(view.enforcement);
  useEffect(() => setEnforcement(view.enforcement), [view]);
  const refresh = async () => {
    const r = await api.sso.oidc.get({ account: view.account });
    if (r.ok) setEnforcement(r.value.enforcement);
  };
  return [enforcement, refresh];
}

/**
 * The SSO settings draft: Save asks first when it takes password login away, then sends the draft;
 * the answer goes to the save bar (next to the button that was pressed) and to a toast.
 * `onFingerprintSaved` hears when the fingerprint a test ran on became the stored one.
 */
export function useSsoDraft(opts: {
  view: OidcConfigView;
  enforcement: EnforcementView;
  onSaved: (v: OidcConfigView) => void;
  onFingerprintSaved: (tested: string, saved: string) => void;
}) {
  const { view, enforcement } = opts;
  const confirm = useConfirm();
  const toast = useToast();
  const [saveMessage, setSaveMessage] = useState<SaveMessage>(null);
  const saved = useMemo(() => toForm(view), [view]);
  const draft = useDraft<SsoFormValues>({
    label: `SSO settings of ${view.accountName}`,
    saved,
    resolver,
    onSave: async (values, form) => {
      const answer = await askBeforeSave(confirm, view, enforcement, values);
      if (!answer) return null;
      const r = await api.sso.oidc.save({ ...toInput(values), ...answer });
      if (!r.ok) {
        const text = withLabels(r.error.message);
        if (r.error.field && r.error.field in values)
          form.setError(r.error.field as keyof SsoFormValues, { message: text });
        setSaveMessage({ ok: false, text });
        return null;
      }
      // Saved exactly what Test connection ran on (a typed secret became the stored one): the result stays good.
      const savedFp = r.value.enforcement.fingerprint;
      if (savedFp !== null) opts.onFingerprintSaved(fingerprintOf(values, view), savedFp);
      opts.onSaved(r.value);
      const text = savedSentence(r.value);
      setSaveMessage({ ok: true, text });
      toast(text);
      return toForm(r.value);
    },
  });
  return { draft, saveMessage, setSaveMessage };
}
