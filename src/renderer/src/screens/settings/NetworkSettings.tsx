import { useEffect, useMemo, useState } from 'react';
import type { Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { NetworkInput, type NetworkView } from '@shared/contract/network';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { DraftBar, draftFormProps, useDraft } from '../../components/ui/draft';
import { Field, fieldAria, labelMessage } from '../../components/ui/Field';
import { useToast } from '../../components/ui/Toast';

type Field = 'proxyUrl' | 'noProxy' | 'caPem';
type Values = Record<Field, string>;
const LABELS: Record<Field, string> = {
  proxyUrl: 'Proxy URL',
  noProxy: 'Bypass the proxy for',
  caPem: 'Trusted CA certificates (PEM)',
};
const toForm = (v: NetworkView): Values => ({ proxyUrl: v.proxyUrl, noProxy: v.noProxy, caPem: v.caPem });
/** The contract's input schema checks the draft before it is sent; the engine's checks (scheme, PEM) answer on Save. */
const resolver = zodResolver(NetworkInput) as unknown as Resolver<Values>;

const SOURCE: Record<NetworkView['effective']['source'], string> = {
  settings: 'set here',
  environment: 'from the environment (HTTPS_PROXY / HTTP_PROXY)',
  none: 'none: every call goes directly',
};

/**
 * Settings › Network: the HTTPS proxy and the extra trusted CA certificates used for every outbound
 * call (IdP discovery, JWKS, token and userinfo requests, Test connection, pass-through services,
 * the token inspector's discovery). A draft until Save; a bad field is named and nothing is saved.
 */
export function NetworkSettings() {
  const [view, setView] = useState<NetworkView | null>(null);
  useEffect(() => {
    void api.network.get().then((r) => r.ok && setView(r.value));
  }, []);
  return (
    <section aria-labelledby="network-title" className="panel">
      <h1 id="network-title">Network</h1>
      <p>
        For company networks: SSO Desk sends every call to an IdP, a pass-through service and the token inspector’s
        discovery through this proxy, and trusts these CA certificates on top of the system’s.
      </p>
      {view ? <NetworkForm view={view} onSaved={setView} /> : <p>Loading…</p>}
    </section>
  );
}

function NetworkForm({ view, onSaved }: { view: NetworkView; onSaved: (v: NetworkView) => void }) {
  const toast = useToast();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const saved = useMemo(() => toForm(view), [view]);
  const draft = useDraft<Values>({
    label: 'Network settings',
    saved,
    resolver,
    onSave: async (values) => {
      const r = await api.network.save({ proxyUrl: values.proxyUrl, noProxy: values.noProxy, caPem: values.caPem });
      if (!r.ok) {
        const field = (['proxyUrl', 'noProxy', 'caPem'] as const).find((f) => f === r.error.field);
        const text = labelMessage(r.error.message, LABELS);
        // On its field when it names one (the field's error is an alert of its own), else below the form.
        if (field) draft.form.setError(field, { type: 'server', message: r.error.message.replace(/^[A-Za-z]+: /, '') });
        setMessage(field ? null : { ok: false, text });
        return null;
      }
      onSaved(r.value);
      const text = 'Saved; every outbound call uses it from now on.';
      setMessage({ ok: true, text });
      toast(text);
      return toForm(r.value);
    },
  });
  const errors = draft.form.formState.errors;
  useEffect(() => {
    if (draft.dirty) setMessage((m) => (m?.ok ? null : m));
  }, [draft.dirty]);
  const reg = (f: Field, hint = false) => ({
    ...fieldAria(`net-${f}`, errors[f], hint),
    spellCheck: false,
    ...draft.form.register(f),
  });
  return (
    <>
      <dl aria-label="Network in force">
        <dt>Proxy in force</dt>
        <dd>
          {view.effective.proxy ?? 'none'} — {SOURCE[view.effective.source]}
        </dd>
        <dt>Bypassed for</dt>
        <dd>{view.effective.noProxy || 'nothing'}</dd>
        <dt>Environment</dt>
        <dd>
          HTTPS_PROXY {view.env.httpsProxy ?? 'not set'} · HTTP_PROXY {view.env.httpProxy ?? 'not set'} · NO_PROXY{' '}
          {view.env.noProxy ?? 'not set'}
        </dd>
      </dl>
      <form {...draftFormProps(draft, 'Network settings')}>
        <Field
          id="net-proxyUrl"
          label={LABELS.proxyUrl}
          hint="Empty: the environment’s HTTPS_PROXY applies, if any. http:// or https:// only."
          error={errors.proxyUrl?.message}
        >
          <input size={48} placeholder="http://proxy.example.com:3128" {...reg('proxyUrl', true)} />
        </Field>
        <Field
          id="net-noProxy"
          label={LABELS.noProxy}
          hint="Host names, .domain suffixes or IP addresses, comma-separated (the NO_PROXY syntax)."
          error={errors.noProxy?.message}
        >
          <input size={48} {...reg('noProxy', true)} />
        </Field>
        <Field id="net-caPem" label={LABELS.caPem} error={errors.caPem?.message}>
          <textarea rows={6} cols={64} placeholder="-----BEGIN CERTIFICATE-----" {...reg('caPem')} />
        </Field>
        {view.cas.length > 0 && (
          <ul aria-label="Trusted CA certificates">
            {view.cas.map((c) => (
              <li key={c.fingerprint}>
                {c.subject} — valid until {c.validTo.slice(0, 10)}
              </li>
            ))}
          </ul>
        )}
        <Notice message={message} />
        <DraftBar
          dirty={draft.dirty}
          saving={draft.saving}
          onSave={() => void draft.save()}
          onDiscard={draft.discard}
          what="the network settings"
        />
      </form>
    </>
  );
}
