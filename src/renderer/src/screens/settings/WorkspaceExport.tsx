import { useState, type FormEvent } from 'react';
import { download } from '@renderer/components/download';
import type { Resolver, UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { ExportInput } from '@shared/contract/workspace';
import { api } from '../../api';
import { Notice } from '../../components/Notice';
import { useDraft } from '../../components/ui/draft';

type Msg = { ok: boolean; text: string } | null;
type ExportValues = z.input<typeof ExportInput>;
const NO_SECRETS: ExportValues = { includeSecrets: false, passphrase: undefined };
const exportResolver = zodResolver(ExportInput) as unknown as Resolver<ExportValues>;

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
  // A dialog-like form: validated on Export, and leaving it asks nothing (there is nothing to lose).
  const {
    form,
    saving: isSubmitting,
    save,
  } = useDraft<ExportValues>({
    label: 'the export',
    saved: NO_SECRETS,
    resolver: exportResolver,
    guard: false,
    mode: 'onSubmit',
    onSave: async (values) => {
      await exportNow(values);
      return null;
    },
  });
  const include = form.watch('includeSecrets');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save();
  };
  const exportNow = async (values: ExportValues) => {
    setConfirmError(null);
    if (values.includeSecrets && confirm !== values.passphrase)
      return setConfirmError('Repeat passphrase: the two passphrases differ');
    setMessage({ ok: true, text: 'Exporting…' });
    const r = await api.workspace.export(values.includeSecrets ? values : { includeSecrets: false });
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setMessage({ ok: true, text: deliver(r.value) });
    setLeftOut(r.value.leftOut);
    form.reset(NO_SECRETS);
    setConfirm('');
  };
  return (
    <form aria-labelledby="export-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="export-title">Export</h2>
      <p>
        Save this install’s setup as a workspace file: accounts with their SSO, external authentication and provisioning
        settings (group mappings included), users, memberships with their status, bots and teams, and the settings of
        login protection, audit retention and the network. API keys are written as hashes. Without secrets, password
        hashes, OIDC client secrets, SAML keys and provisioning tokens are left out: the file still imports, and users
        set new passwords, admins enter client secrets and create tokens again. The file’s name ends in{' '}
        <code>-with-secrets.json</code> when it carries them.
      </p>
      <label className="check">
        <input type="checkbox" {...form.register('includeSecrets')} /> Include secrets, encrypted with a passphrase
      </label>
      {include && <PassphraseFields form={form} confirm={confirm} onConfirm={setConfirm} confirmError={confirmError} />}
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

type Exported = Extract<Awaited<ReturnType<typeof api.workspace.export>>, { ok: true }>['value'];

/** Hands the file over (a download in the browser host, a save dialog's path in Electron) and says what it holds. */
function deliver(x: Exported): string {
  const d = x.delivery;
  const what =
    `${x.accounts} account${x.accounts === 1 ? '' : 's'}, ${x.users} ` +
    `user${x.users === 1 ? '' : 's'}, ${x.bots} bot${x.bots === 1 ? '' : 's'}; ` +
    `secrets ${x.secrets === 'encrypted' ? 'encrypted with your passphrase' : 'left out'}`;
  if (d.kind === 'download') {
    download(d.url, d.name);
    return `Exported ${what} as ${d.name}.`;
  }
  return d.kind === 'saved' ? `Exported ${what} to ${d.path}.` : 'Export cancelled.';
}

/** The passphrase and its repetition; the repetition is checked on Export, not as it is typed. */
function PassphraseFields(props: {
  form: UseFormReturn<ExportValues>;
  confirm: string;
  onConfirm: (v: string) => void;
  confirmError: string | null;
}) {
  const { form, confirm, confirmError } = props;
  const { errors } = form.formState;
  return (
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
          onChange={(e) => props.onConfirm(e.target.value)}
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
