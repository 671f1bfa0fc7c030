import { useState } from 'react';
import { BotInput, BotPatch, TeamInput, type DirectoryAccount, type DirectoryBot } from '@shared/contract/directory';
import { TEAM_LEVELS, type TeamLevel } from '@shared/domain';
import { api } from '@renderer/api';
import { Notice } from '@renderer/components/Notice';
import { ConfirmDialog } from '@renderer/components/ui/ConfirmDialog';
import { Modal, when } from './ui';
import { DataTable } from './parts/DataTable';
import { RootError, SelectField, TextField } from './parts/FormParts';
import { RowActions } from './parts/RowActions';
import { useContractForm } from './parts/useContractForm';
import { useLoaded } from './parts/useLoaded';
import type { Result } from '@shared/result';

/** The bots and the accounts they may belong to, loaded together (a failed bot list is the error shown). */
async function loadBots(): Promise<Result<{ bots: DirectoryBot[]; accounts: DirectoryAccount[] }>> {
  const [b, a] = await Promise.all([api.directory.bots.list(), api.directory.accounts.list()]);
  return b.ok ? { ok: true, value: { bots: b.value, accounts: a.ok ? a.value : [] } } : b;
}

/**
 * Bots: create, rename, change the owner, generate the key pair (shown once), team with levels, delete.
 *
 * Long because it holds the list and its four dialogs (edit, keys shown once, confirm new keys, delete), which
 * share the selected bot and the reload.
 */
export function BotsTab() {
  const { data, message, setMessage, reload: load } = useLoaded(loadBots);
  const bots = data?.bots ?? null;
  const accounts = data?.accounts ?? [];
  const [editing, setEditing] = useState<DirectoryBot | null>(null);
  const [keysFor, setKeysFor] = useState<DirectoryBot | null>(null);
  const [keys, setKeys] = useState<{ bot: DirectoryBot; apiKey: string; apiSecret: string } | null>(null);
  const [deleting, setDeleting] = useState<DirectoryBot | null>(null);

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
      <NewBot
        accounts={accounts}
        onCreated={async (b) => (setMessage({ ok: true, text: `Created ${b.name}.` }), await load())}
      />
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
              {b.name}{' '}
              <span className="muted">
                ({b.id}, {accountName(b.account)})
              </span>
            </h3>
            <p>
              Owner: {b.owner} · BotAPIKey: {b.key ? `…${b.key.last4} (since ${when(b.key.createdAt)})` : 'none'} ·
              BotAPISecret: {b.secret ? `…${b.secret.last4}` : 'none'}
            </p>
            <RowActions
              actions={[
                { text: 'Edit…', name: `Edit ${b.name}`, onClick: () => setEditing(b) },
                {
                  text: `Generate key pair${b.key || b.secret ? '…' : ''}`,
                  name: `Generate key pair for ${b.name}`,
                  onClick: () => (b.key || b.secret ? setKeysFor(b) : void generate(b)),
                },
                { text: 'Delete…', name: `Delete ${b.name}`, onClick: () => setDeleting(b) },
              ]}
            />
            <Team bot={b} onChange={async (text, ok = true) => (setMessage({ ok, text }), await load())} />
          </article>
        ))
      )}
      {editing && (
        <Modal open onOpenChange={(o) => !o && setEditing(null)} title={`Edit ${editing.name}`}>
          <EditBot
            bot={editing}
            onSaved={async (b) => (setEditing(null), setMessage({ ok: true, text: `Saved ${b.name}.` }), await load())}
          />
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
                The active BotAPIKey (…{keysFor.key?.last4 ?? '----'}) and BotAPISecret (…
                {keysFor.secret?.last4 ?? '----'}) stop working at once: every server that calls{' '}
                <code>POST /authorization/sso</code> for {keysFor.name} with them is cut off until it has the new pair.
              </p>
            </>
          }
        />
      )}
      {keys && (
        <Modal
          open
          onOpenChange={(o) => !o && setKeys(null)}
          title={`New key pair of ${keys.bot.name}`}
          description="Copy them now: they are shown this once and only their hashes are kept."
        >
          <p>BotAPIKey</p>
          <p className="dir-secret" aria-label="BotAPIKey">
            {keys.apiKey}
          </p>
          <p>BotAPISecret</p>
          <p className="dir-secret" aria-label="BotAPISecret">
            {keys.apiSecret}
          </p>
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard?.writeText(`BotAPIKey=${keys.apiKey}\nBotAPISecret=${keys.apiSecret}`)
            }
          >
            Copy both
          </button>
        </Modal>
      )}
      {deleting && (
        <ConfirmDialog
          destructive
          stayOpen
          open
          onCancel={() => setDeleting(null)}
          title={`Delete ${deleting.name}?`}
          confirmLabel={`Delete ${deleting.name}`}
          onConfirm={() => void remove(deleting)}
          description={
            <>
              <p>
                This cannot be undone. With {deleting.name} go its team ({deleting.team.length}{' '}
                {deleting.team.length === 1 ? 'person' : 'people'}), its keys and every Platform SSO token and deep-link
                session it issued.
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
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: TeamInput,
    defaultValues: { bot: bot.id, email: '', level: 'viewer' },
    fields: ['email', 'level'],
    call: (values) => api.directory.team.set(values),
    onOk: async (_r, values, f) => {
      f.reset({ bot: bot.id, email: '', level: 'viewer' });
      await onChange(`Put ${values.email} on ${bot.name}'s team as ${values.level}.`);
    },
  });
  const id = (s: string) => `team-${bot.id}-${s}`;
  return (
    <>
      {bot.team.length > 0 && (
        <DataTable
          compact
          label={`Team of ${bot.name}`}
          rows={bot.team}
          rowKey={(t) => t.email}
          columns={[
            { header: 'Member', cell: (t) => t.email },
            {
              header: 'Level',
              cell: (t) => (
                <select
                  aria-label={`Level of ${t.email} on ${bot.name}`}
                  value={t.level}
                  onChange={(e) => void setLevel(t.email, e.target.value as TeamLevel)}
                >
                  {TEAM_LEVELS.map((l) => (
                    <option key={l}>{l}</option>
                  ))}
                </select>
              ),
            },
            {
              header: 'Action',
              cell: (t) => (
                <RowActions
                  actions={[
                    {
                      text: 'Remove',
                      name: `Take ${t.email} off ${bot.name}'s team`,
                      onClick: () => void remove(t.email),
                    },
                  ]}
                />
              ),
            },
          ]}
        />
      )}
      <form
        className="dir-form"
        aria-label={`Add to the team of ${bot.name}`}
        onSubmit={(e) => void submit(e)}
        noValidate
      >
        <input type="hidden" {...form.register('bot')} />
        <TextField form={form} name="email" id={id('email')} label="Email" type="email" />
        <SelectField form={form} name="level" id={id('level')} label="Level" values={TEAM_LEVELS} />
        <button type="submit" disabled={isSubmitting}>
          Add to team
        </button>
        <RootError errors={errors} />
      </form>
    </>
  );
}

function NewBot({
  accounts,
  onCreated,
}: {
  accounts: DirectoryAccount[];
  onCreated: (b: DirectoryBot) => Promise<void>;
}) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: BotInput,
    defaultValues: { id: '', account: '', name: '', owner: '' },
    fields: ['id', 'account', 'name', 'owner'],
    call: (values) => api.directory.bots.create(values),
    onOk: async (b, _values, f) => {
      f.reset();
      await onCreated(b);
    },
  });
  return (
    <form className="dir-form" aria-labelledby="new-bot-title" onSubmit={(e) => void submit(e)} noValidate>
      <TextField form={form} name="name" id="bot-name" label="Name" />
      <TextField form={form} name="id" id="bot-id" label="ID" />
      <SelectField form={form} name="account" id="bot-account" label="Account" describe>
        <option value="">Choose…</option>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </SelectField>
      <TextField form={form} name="owner" id="bot-owner" label="Owner (email)" type="email" />
      <button type="submit" className="primary" disabled={isSubmitting}>
        Create bot
      </button>
      <RootError errors={errors} />
    </form>
  );
}

function EditBot({ bot, onSaved }: { bot: DirectoryBot; onSaved: (b: DirectoryBot) => Promise<void> }) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: BotPatch,
    defaultValues: { id: bot.id, name: bot.name, owner: bot.owner },
    fields: ['name', 'owner'],
    call: (values) => api.directory.bots.update(values),
    onOk: (b) => onSaved(b),
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Edit ${bot.name}`}>
      <TextField form={form} name="name" id="edit-bot-name" label="Name" />
      <TextField form={form} name="owner" id="edit-bot-owner" label="Owner (email)" type="email" />
      <RootError errors={errors} />
      <div className="dir-actions">
        <button type="submit" className="primary" disabled={isSubmitting}>
          Save
        </button>
      </div>
    </form>
  );
}
