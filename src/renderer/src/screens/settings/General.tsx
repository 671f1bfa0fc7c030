import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useDesk } from '../../store';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { WorkspaceExport } from './WorkspaceExport';
import { DEMO_CLIENT_ID } from '@shared/domain';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The row counts stay current while the About section is on screen. */
const LIVE_EVERY_MS = 5000;

type Theme = 'system' | 'light' | 'dark';

export function GeneralSettings() {
  const { refreshInfo, theme, setTheme } = useDesk();
  useEffect(() => {
    void refreshInfo();
    const t = window.setInterval(() => void refreshInfo(), LIVE_EVERY_MS);
    return () => window.clearInterval(t);
  }, [refreshInfo]);

  return (
    <section aria-labelledby="general-title" className="panel">
      <h1 id="general-title">General</h1>
      <h2>Appearance</h2>
      {/* The theme is a preference of this console, not a setting of the install: it applies at once, no Save. */}
      <label htmlFor="theme">Theme</label>
      <select id="theme" value={theme} onChange={(e) => void setTheme(e.target.value as Theme)}>
        <option value="system">Follow the system</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
      <p className="muted">Applies at once and is kept for the next start.</p>
      <WorkspaceImport />
      <WorkspaceExport />
      <AboutInstall />
    </section>
  );
}

/** Import of a workspace file, all or nothing; the result takes the focus so it is read out. */
function WorkspaceImport() {
  const refreshInfo = useDesk((s) => s.refreshInfo);
  const [importMessage, setImportMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [replace, setReplace] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const r = await api.workspace.import({ text: await file.text(), replace });
    if (r.ok) {
      const s = r.value;
      setImportMessage({
        ok: true,
        text:
          `Imported ${plural(s.accounts, 'account', 'accounts')}, ${plural(s.users, 'user', 'users')}, ` +
          `${plural(s.memberships, 'membership', 'memberships')}, ${plural(s.bots, 'bot', 'bots')}.`,
      });
      await refreshInfo();
    } else setImportMessage({ ok: false, text: r.error.message });
    resultRef.current?.focus();
  };

  return (
    <>
      <h2>Workspace</h2>
      <p>
        Load a workspace file (format <code>sso-desk/workspace@1</code>). Import is all or nothing.
      </p>
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace accounts and
        users that already exist
      </label>
      <p>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import workspace file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          aria-label="Import workspace file"
          onChange={onFile}
          hidden
        />
      </p>
      <div ref={resultRef} tabIndex={-1}>
        <Notice message={importMessage} />
      </div>
    </>
  );
}

/** The install's version, folders and URLs, the demo IdP's values to register, and the database behind a disclosure. */
function AboutInstall() {
  const info = useDesk((s) => s.info);
  return (
    <>
      <h2 id="about-title">About this install</h2>
      {info ? (
        <dl className="facts" aria-labelledby="about-title">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Data folder</dt>
          <dd>
            <code>{info.dataDir}</code>
          </dd>
          <dt>Platform API</dt>
          <dd>{info.urls.api ? <code>{info.urls.api}</code> : 'not running'}</dd>
        </dl>
      ) : (
        <p>Loading…</p>
      )}
      {info && (
        <>
          <h3 id="demo-idp-title">Demo identity provider (built in)</h3>
          {info.urls.idp ? (
            <>
              <p>
                An OpenID Connect provider that runs inside SSO Desk, for demos with no network. Point an account at it
                in Security › SSO with <strong>Use the demo IdP</strong>, or register these values by hand.
              </p>
              <dl className="facts" aria-labelledby="demo-idp-title">
                <dt>Issuer (IdP URL)</dt>
                <dd>
                  <code>{info.urls.idp}</code>
                </dd>
                <dt>Discovery document</dt>
                <dd>
                  <code>{`${info.urls.idp.replace(/\/$/, '')}/.well-known/openid-configuration`}</code>
                </dd>
                <dt>Client ID</dt>
                <dd>
                  <code>{DEMO_CLIENT_ID}</code> (no secret; any loopback port)
                </dd>
              </dl>
            </>
          ) : (
            <p>The demo identity provider is not running in this install.</p>
          )}
          <details className="tech">
            <summary>Technical details</summary>
            <dl className="facts" aria-label="Technical details of this install">
              <dt>Database file</dt>
              <dd>
                <code>{info.databaseFile}</code>
              </dd>
              <dt>Schema version</dt>
              <dd aria-label="Schema version">{info.schemaVersion}</dd>
            </dl>
            <table aria-label="Row counts" className="grid compact">
              <caption className="muted">Rows in the database, updated every {LIVE_EVERY_MS / 1000} seconds</caption>
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Rows</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(info.counts).map(([table, n]) => (
                  <tr key={table}>
                    <td>{table}</td>
                    <td>{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </>
  );
}
