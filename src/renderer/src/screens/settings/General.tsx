import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { useDesk } from '../../store';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { WorkspaceExport } from './WorkspaceExport';
import { DraftBar, useDraft } from '../../components/ui/draft';
import { useToast } from '../../components/ui/Toast';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The row counts stay current while the About section is on screen. */
const LIVE_EVERY_MS = 5000;

type Theme = 'system' | 'light' | 'dark';

export function GeneralSettings() {
  const { info, refreshInfo, theme, setTheme } = useDesk();
  const toast = useToast();
  const [importMessage, setImportMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [replace, setReplace] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void refreshInfo();
    const t = window.setInterval(() => void refreshInfo(), LIVE_EVERY_MS);
    return () => window.clearInterval(t);
  }, [refreshInfo]);

  const savedLook = useMemo(() => ({ theme }), [theme]);
  const look = useDraft<{ theme: Theme }>({
    label: 'Appearance',
    saved: savedLook,
    onSave: async (v) => {
      await setTheme(v.theme);
      toast('Appearance saved.');
      return { theme: v.theme };
    },
  });

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
    <section aria-labelledby="general-title" className="panel">
      <h1 id="general-title">General</h1>
      <h2>Appearance</h2>
      <form
        aria-label="Appearance"
        onSubmit={(e) => {
          e.preventDefault();
          void look.save();
        }}
      >
        <label htmlFor="theme">Theme</label>
        <select id="theme" {...look.form.register('theme')}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
        <DraftBar
          dirty={look.dirty}
          saving={look.saving}
          onSave={() => void look.save()}
          onDiscard={look.discard}
          what="the appearance"
        />
      </form>

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

      <WorkspaceExport />

      <h2 id="about-title">About this install</h2>
      {info ? (
        <dl className="facts" aria-labelledby="about-title">
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
      )}
    </section>
  );
}
