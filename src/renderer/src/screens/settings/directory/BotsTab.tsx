import { useCallback, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { BotInput, BotPatch, TeamInput, type DirectoryAccount, type DirectoryBot } from '../../../../../shared/contract/directory';
import { TEAM_LEVELS, type TeamLevel } from '../../../../../shared/domain';
import { api } from '../../../api';
import { Notice } from '../../../components/Notice';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { Field, Modal, applyServerError, describedBy, when } from './ui';

type Msg = { ok: boolean; text: string } | null;

/** Bots: create, rename, change the owner, generate the key pair (shown once), team with levels, delete. */
export function BotsTab() {
  const [bots, setBots] = useState<DirectoryBot[] | null>(null);
  const [accounts, setAccounts] = useState<DirectoryAccount[]>([]);
  const [message, setMessage] = useState<Msg>(null);
  const [editing, setEditing] = useState<DirectoryBot | null>(null);
  const [keysFor, setKeysFor] = useState<DirectoryBot | null>(null);
  const [keys, setKeys] = useState<{ bot: DirectoryBot; apiKey: string; apiSecret: string } | null>(null);
  const [deleting, setDeleting] = useState<DirectoryBot | null>(null);

  const load = useCallback(async () => {
    const [b, a] = await Promise.all([api.directory.bots.list(), api.directory.accounts.list()]);
    if (b.ok) setBots(b.value);
    else setMessage({ ok: false, text: b.error.message });
    if (a.ok) setAccounts(a.value);
  }, []);
  useEffect(() => void load(), [load]);
  const accountName = (id: string) => accounts.find((a) => a.id === id)?.name ?? id;

  const generate = async (bot: DirectoryBot) => {
    const r = await api.directory.bots.generateKeys({ id: bot.id });
    setKeysFor(null);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    setKeys({ bot, apiKey: r.value.apiKey, apiSecret: r.value.apiSecret });
    await load();
  };
  const remove = async (bot: DirectoryBot) => {
    const r = await api.directory.bots.delete({ id: bot.id });
    setDeleting(null);
    setMessage(r.ok ? { ok: true, text: `Deleted ${bot.name}.` } : { ok: false, text: r.error.message });
    await load();
  };

  return (
    <div>
      <h2 id="new-bot-title">New bot</h2>
      <NewBot accounts={accounts} onCreated={async (b) => (setMessage({ ok: true, text: `Created ${b.name}.` }), await load())} />
      <Notice message={message} />
      <h2>Bots</h2>
      {!bots ? (
        <p>Loading…</p>
      ) : bots.length === 0 ? (
        <p>No bots yet.</p>
      ) : (
        bots.map((b) => (
          <article key={b.id} className="card" aria-labelledby={`bot-${b.id}`}>
            <h3 id={`bot-${b.id}`}>
              {b.name} <span className="muted">({b.id}, {accountName(b.account)})</span>
            </h3>
            <p>
              Owner: {b.owner} · BotAPIKey: {b.key ? `…${b.key.last4} (since ${when(b.key.createdAt)})` : 'none'} · BotAPISecret:{' '}
              {b.secret ? `…${b.secret.last4}` : 'none'}
            </p>
            <div className="dir-row">
              <button type="button" onClick={() => setEditing(b)} aria-label={`Edit ${b.name}`}>
                Edit…
              </button>
              <button type="button" onClick={() => (b.key || b.secret ? setKeysFor(b) : void generate(b))} aria-label={`Generate key pair for ${b.name}`}>
                Generate key pair{b.key || b.secret ? '…' : ''}
              </button>
              <button type="button" onClick={() => setDeleting(b)} aria-label={`Delete ${b.name}`}>
                Delete…
              </button>
            </div>
            <Team bot={b} onChange={async (text, ok = true) => (setMessage({ ok, text }), await load())} />
          </article>
        ))
      )}
      {editing && (
        <Modal open onOpenChange={(o) => !o && setEditing(null)} title={`Edit ${editing.name}`}>
          <EditBot bot={editing} onSaved={async (b) => (setEditing(null), setMessage({ ok: true, text: `Saved ${b.name}.` }), await load())} />
        </Modal>
      )}
      {keysFor && (
        <ConfirmDialog
          destructive
          stayOpen
          open
          onCancel={() => setKeysFor(null)}
          title={`Replace the key pair of ${keysFor.name}?`}
          confirmLabel="Generate new pair"
          onConfirm={() => void generate(keysFor)}
          description={
            <>
              <p>
                The active BotAPIKey (…{keysFor.key?.last4 ?? '----'}) and BotAPISecret (…{keysFor.secret?.last4 ?? '----'}) stop working at once:
                every server that calls <code>POST /authorization/sso</code> for {keysFor.name} with them is cut off until it has the new pair.
              </p>
            </>
          }
        />
      )}
      {keys && (
        <Modal open onOpenChange={(o) => !o && setKeys(null)} title={`New key pair of ${keys.bot.name}`} description="Copy them now: they are shown this once and only their hashes are kept.">
          <p>BotAPIKey</p>
          <p className="dir-secret" aria-label="BotAPIKey">
            {keys.apiKey}
          </p>
          <p>BotAPISecret</p>
          <p className="dir-secret" aria-label="BotAPISecret">
            {keys.apiSecret}
          </p>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(`BotAPIKey=${keys.apiKey}\nBotAPISecret=${keys.apiSecret}`)}>
            Copy both
          </button>
        </Modal>
      )}
      {deleting && (
        <ConfirmDialog
          destructive
          stayOpen
          open onCancel={() => setDeleting(null)} title={`Delete ${deleting.name}?`} confirmLabel={`Delete ${deleting.name}`} onConfirm={() => void remove(deleting)}
          description={
            <>
              <p>
                This cannot be undone. With {deleting.name} go its team ({deleting.team.length} {deleting.team.length === 1 ? 'person' : 'people'}), its
                keys and every Platform SSO token and deep-link session it issued.
              </p>
            </>
          }
        />
      )}
    </div>
  );
}

function Team({ bot, onChange }: { bot: DirectoryBot; onChange: (text: string, ok?: boolean) => Promise<void> }) {
  const setLevel = async (email: string, level: TeamLevel) => {
    const r = await api.directory.team.set({ bot: bot.id, email, level });
    await onChange(r.ok ? `${email} is now ${level} on ${bot.name}.` : r.error.message, r.ok);
  };
  const remove = async (email: string) => {
    const r = await api.directory.team.remove({ bot: bot.id, email });
    await onChange(r.ok ? `Took ${email} off ${bot.name}'s team.` : r.error.message, r.ok);
  };
  const form = useForm<z.input<typeof TeamInput>, unknown, z.output<typeof TeamInput>>({
    resolver: zodResolver(TeamInput),
    defaultValues: { bot: bot.id, email: '', level: 'viewer' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await api.directory.team.set(values);
    if (applyServerError(r, form.setError, ['email', 'level'])) return;
    form.reset({ bot: bot.id, email: '', level: 'viewer' });
    await onChange(`Put ${values.email} on ${bot.name}'s team as ${values.level}.`);
  });
  const id = (s: string) => `team-${bot.id}-${s}`;
  return (
    <>
      {bot.team.length > 0 && (
        <table className="grid compact" aria-label={`Team of ${bot.name}`}>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Level</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {bot.team.map((t) => (
              <tr key={t.email}>
                <td>{t.email}</td>
                <td>
                  <select aria-label={`Level of ${t.email} on ${bot.name}`} value={t.level} onChange={(e) => void setLevel(t.email, e.target.value as TeamLevel)}>
                    {TEAM_LEVELS.map((l) => (
                      <option key={l}>{l}</option>
                    ))}
                  </select>
                </td>
                <td>
                  <button type="button" onClick={() => void remove(t.email)} aria-label={`Take ${t.email} off ${bot.name}'s team`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="dir-form" aria-label={`Add to the team of ${bot.name}`} onSubmit={(e) => void submit(e)} noValidate>
        <input type="hidden" {...form.register('bot')} />
        <Field id={id('email')} label="Email" error={errors.email?.message}>
          <input id={id('email')} type="email" {...form.register('email')} {...describedBy(id('email'), errors.email)} />
        </Field>
        <Field id={id('level')} label="Level" error={errors.level?.message}>
          <select id={id('level')} {...form.register('level')}>
            {TEAM_LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={isSubmitting}>
          Add to team
        </button>
        {errors.root && (
          <p role="alert" className="bad">
            {errors.root.message}
          </p>
        )}
      </form>
    </>
  );
}

function NewBot({ accounts, onCreated }: { accounts: DirectoryAccount[]; onCreated: (b: DirectoryBot) => Promise<void> }) {
  const form = useForm<z.input<typeof BotInput>, unknown, z.output<typeof BotInput>>({
    resolver: zodResolver(BotInput),
    defaultValues: { id: '', account: '', name: '', owner: '' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await api.directory.bots.create(values);
    if (applyServerError(r, form.setError, ['id', 'account', 'name', 'owner'])) return;
    if (r.ok) {
      form.reset();
      await onCreated(r.value);
    }
  });
  return (
    <form className="dir-form" aria-labelledby="new-bot-title" onSubmit={(e) => void submit(e)} noValidate>
      <Field id="bot-name" label="Name" error={errors.name?.message}>
        <input id="bot-name" {...form.register('name')} {...describedBy('bot-name', errors.name)} />
      </Field>
      <Field id="bot-id" label="ID" error={errors.id?.message}>
        <input id="bot-id" {...form.register('id')} {...describedBy('bot-id', errors.id)} />
      </Field>
      <Field id="bot-account" label="Account" error={errors.account?.message}>
        <select id="bot-account" {...form.register('account')} {...describedBy('bot-account', errors.account)}>
          <option value="">Choose…</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="bot-owner" label="Owner (email)" error={errors.owner?.message}>
        <input id="bot-owner" type="email" {...form.register('owner')} {...describedBy('bot-owner', errors.owner)} />
      </Field>
      <button type="submit" className="primary" disabled={isSubmitting}>
        Create bot
      </button>
      {errors.root && (
        <p role="alert" className="bad">
          {errors.root.message}
        </p>
      )}
    </form>
  );
}

function EditBot({ bot, onSaved }: { bot: DirectoryBot; onSaved: (b: DirectoryBot) => Promise<void> }) {
  const form = useForm<z.input<typeof BotPatch>, unknown, z.output<typeof BotPatch>>({
    resolver: zodResolver(BotPatch),
    defaultValues: { id: bot.id, name: bot.name, owner: bot.owner },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await api.directory.bots.update(values);
    if (applyServerError(r, form.setError, ['name', 'owner'])) return;
    if (r.ok) await onSaved(r.value);
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Edit ${bot.name}`}>
      <Field id="edit-bot-name" label="Name" error={errors.name?.message}>
        <input id="edit-bot-name" {...form.register('name')} {...describedBy('edit-bot-name', errors.name)} />
      </Field>
      <Field id="edit-bot-owner" label="Owner (email)" error={errors.owner?.message}>
        <input id="edit-bot-owner" type="email" {...form.register('owner')} {...describedBy('edit-bot-owner', errors.owner)} />
      </Field>
      {errors.root && (
        <p role="alert" className="bad">
          {errors.root.message}
        </p>
      )}
      <div className="dir-actions">
        <button type="submit" className="primary" disabled={isSubmitting}>
          Save
        </button>
      </div>
    </form>
  );
}
