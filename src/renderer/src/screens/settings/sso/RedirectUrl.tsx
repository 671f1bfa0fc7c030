import { useState } from 'react';
import { findPreset, registeredRedirectUri } from '@shared/oidc-presets';
import { presetOf } from './PresetFields';
import type { SsoFieldsProps } from './oidc-draft';

/** The redirect URL to register at the IdP (with Copy), which port it takes, and the vendor's own steps. */
export function RedirectUrl({ view, form, d }: Omit<SsoFieldsProps, 'problemOf'>) {
  const [copied, setCopied] = useState(false);
  const presetDef = findPreset(presetOf(d));
  const fixedPort = d.redirectPort === undefined ? view.redirectPort : d.redirectPort;
  const redirectUri = registeredRedirectUri(
    d.redirectHost ?? '127.0.0.1',
    fixedPort === null || Number.isNaN(fixedPort) ? null : fixedPort,
  );
  const copy = async () => {
    await navigator.clipboard?.writeText(redirectUri).catch(() => undefined);
    setCopied(true);
  };
  return (
    <>
      <h2>Redirect URL to register at the IdP</h2>
      <p>
        <input aria-label="Redirect URL" readOnly size={34} value={redirectUri} />{' '}
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
      <p className="muted" aria-label="Which port to register">
        {fixedPort === null || fixedPort === undefined || Number.isNaN(fixedPort)
          ? 'Loopback, any port: register it without a port; SSO Desk listens on a free port for each sign-in.'
          : `Loopback, fixed port ${fixedPort}: register exactly this URL; ` +
            `SSO Desk listens on port ${fixedPort} for each sign-in (the IdP matches the port exactly).`}
      </p>
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
    </>
  );
}
