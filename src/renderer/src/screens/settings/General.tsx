import { useState, type ChangeEvent } from 'react';
import { useDesk } from '../../store';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { WorkspaceExport } from './WorkspaceExport';

export function GeneralSettings() {
  const { info, refreshInfo, theme, setTheme } = useDesk();
  const [importMessage, setImportMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [replace, setReplace] = useState(false);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const r = await api.workspace.import({ text: await file.text(), replace });
    if (r.ok) {
      const s = r.value;
      setImportMessage({ ok: true, text: `Imported ${s.accounts} accounts, ${s.users} users, ${s.memberships} memberships, ${s.bots} bots.` });
      await refreshInfo();
    } else setImportMessage({ ok: false, text: r.error.message });
  };

  return (
    <section aria-labelledby="general-title" className="panel">
      <h1 id="general-title">General</h1>
      <h2>About this install</h2>
      {info ? (
        <dl className="facts" aria-label="App info">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Data dir</dt>
          <dd>
            <code>{info.dataDir}</code>
          </dd>
          <dt>Database</dt>
          <dd>
            <code>{info.databaseFile}</code>
          </dd>
          <dt>Schema version</dt>
          <dd aria-label="Schema version">{info.schemaVersion}</dd>
          <dt>Platform API</dt>
          <dd>{info.urls.api ?? 'not running'}</dd>
        </dl>
      ) : (
        <p>Loading…</p>
      )}
      {info && (
        <table aria-label="Row counts" className="grid compact">
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
      )}
      <h2>Appearance</h2>
      <label htmlFor="theme">Theme</label>
      <select id="theme" value={theme} onChange={(e) => void setTheme(e.target.value as typeof theme)}>
        <option value="system">Follow the system</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
      <h2>Workspace</h2>
      <p>Load a workspace file (format <code>sso-desk/workspace@1</code>). Import is all or nothing.</p>
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace accounts and users
        that already exist
      </label>
      <label className="button-like">
        Import workspace file…
        <input type="file" accept="application/json,.json" aria-label="Import workspace file" onChange={onFile} hidden />
      </label>
      <Notice message={importMessage} />
      <WorkspaceExport />
    </section>
  );
}
