import { useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { ExportInput } from '@shared/contract/workspace';
import { api } from '../../api';
import { Notice } from '../../components/Notice';

type Msg = { ok: boolean; text: string } | null;

/**
 * Settings › General › Export (and import of a file whose secrets are encrypted). The whole setup as a
 * `sso-desk/workspace@1` file; secrets left out unless "include secrets" encrypts them with a passphrase.
 */
export function WorkspaceExport() {
  return (
    <>
      <ExportForm />
      <EncryptedImport />
    </>
  );
}

function ExportForm() {
  const [message, setMessage] = useState<Msg>(null);
  const [leftOut, setLeftOut] = useState<string[]>([]);
  const [confirm, setConfirm] = useState('');
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const form = useForm<z.input<typeof ExportInput>, unknown, z.output<typeof ExportInput>>({
    resolver: zodResolver(ExportInput),
    defaultValues: { includeSecrets: false, passphrase: undefined },
  });
  const include = form.watch('includeSecrets');
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setConfirmError(null);
    if (values.includeSecrets && confirm !== values.passphrase)
      return setConfirmError('Repeat passphrase: the two passphrases differ');
    setMessage({ ok: true, text: 'Exporting…' });
    const r = await api.workspace.export(values.includeSecrets ? values : { includeSecrets: false });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    const d = r.value.delivery;
    const what =
      `${r.value.accounts} account${r.value.accounts === 1 ? '' : 's'}, ${r.value.users} ` +
      `user${r.value.users === 1 ? '' : 's'}, ${r.value.bots} bot${r.value.bots === 1 ? '' : 's'}; ` +
      `secrets ${r.value.secrets === 'encrypted' ? 'encrypted with your passphrase' : 'left out'}`;
    if (d.kind === 'download') {
      const a = document.createElement('a');
      a.href = d.url;
      a.download = d.name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setMessage({ ok: true, text: `Exported ${what} as ${d.name}.` });
    } else if (d.kind === 'saved') setMessage({ ok: true, text: `Exported ${what} to ${d.path}.` });
    else setMessage({ ok: true, text: 'Export cancelled.' });
    setLeftOut(r.value.leftOut);
    form.reset({ includeSecrets: false, passphrase: undefined });
    setConfirm('');
  });
  return (
    <form aria-labelledby="export-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="export-title">Export</h2>
      <p>
        Save this install’s setup as a workspace file: accounts with their SSO and external authentication settings,
        users, memberships with their status, bots and teams. API keys are written as hashes. Without secrets, password
        hashes and OIDC client secrets are left out: the file still imports, and users set new passwords, admins enter
        client secrets again.
      </p>
      <label className="check">
        <input type="checkbox" {...form.register('includeSecrets')} /> Include secrets, encrypted with a passphrase
      </label>
      {include && (
        <div className="dir-form">
          <div>
            <label htmlFor="export-passphrase">Passphrase (at least 8 characters)</label>
            <input
              id="export-passphrase"
              type="password"
              autoComplete="new-password"
              aria-invalid={errors.passphrase ? true : undefined}
              aria-describedby={errors.passphrase ? 'export-passphrase-error' : undefined}
              {...form.register('passphrase', { setValueAs: (v: string) => v || undefined, shouldUnregister: true })}
            />
            {errors.passphrase && (
              <small id="export-passphrase-error" role="alert" className="bad">
                Passphrase: {errors.passphrase.message}
              </small>
            )}
          </div>
          <div>
            <label htmlFor="export-confirm">Repeat passphrase</label>
            <input
              id="export-confirm"
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              aria-invalid={confirmError ? true : undefined}
              aria-describedby={confirmError ? 'export-confirm-error' : undefined}
            />
            {confirmError && (
              <small id="export-confirm-error" role="alert" className="bad">
                {confirmError}
              </small>
            )}
          </div>
        </div>
      )}
      <p>
        <button type="submit" disabled={isSubmitting}>
          Export workspace…
        </button>
      </p>
      <Notice message={message} />
      {leftOut.length > 0 && (
        <>
          <p>Not in the file:</p>
          <ul aria-label="Left out of the export">
            {leftOut.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </>
      )}
    </form>
  );
}

/** Import of an export made with "include secrets": the file and the passphrase it was made with. */
function EncryptedImport() {
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [replace, setReplace] = useState(false);
  const [message, setMessage] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setMessage({ ok: false, text: 'Workspace file: choose a file' });
    setBusy(true);
    const r = await api.workspace.import({ text: await file.text(), replace, ...(passphrase ? { passphrase } : {}) });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    const s = r.value;
    setMessage({
      ok: true,
      text:
        `Imported ${s.accounts} account${s.accounts === 1 ? '' : 's'}, ${s.users} user${s.users === 1 ? '' : 's'}, ` +
        `${s.memberships} membership${s.memberships === 1 ? '' : 's'}, ${s.bots} bot${s.bots === 1 ? '' : 's'}.`,
    });
    setPassphrase('');
  };
  return (
    <form aria-labelledby="encrypted-import-title" onSubmit={(e) => void submit(e)}>
      <h2 id="encrypted-import-title">Import a file with encrypted secrets</h2>
      <label htmlFor="encrypted-import-file">Workspace file</label>
      <input
        id="encrypted-import-file"
        type="file"
        accept="application/json,.json"
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <label htmlFor="encrypted-import-passphrase">Passphrase it was exported with</label>
      <input
        id="encrypted-import-passphrase"
        type="password"
        autoComplete="off"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
      />
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace accounts and
        users that already exist
      </label>
      <p>
        <button type="submit" disabled={busy}>
          Import
        </button>
      </p>
      <Notice message={message} />
    </form>
  );
}
