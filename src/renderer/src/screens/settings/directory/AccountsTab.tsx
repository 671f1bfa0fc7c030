import { useState } from 'react';
import { AccountInput, AccountPatch, type AccountImpact, type DirectoryAccount } from '@shared/contract/directory';
import { PACKAGES, PLANS } from '@shared/domain';
import { api } from '@renderer/api';
import { Notice } from '@renderer/components/Notice';
import { ConfirmDialog } from '@renderer/components/ui/ConfirmDialog';
import { Modal } from './ui';
import { Members } from './Members';
import { DataTable } from './parts/DataTable';
import { RootError, SelectField, TextField } from './parts/FormParts';
import { RowActions } from './parts/RowActions';
import { useContractForm } from './parts/useContractForm';
import { useLoaded } from './parts/useLoaded';

/**
 * Accounts: create, edit (name, plan, packages, embeddable), members, delete with what goes with it.
 *
 * Long because it holds the list and its dialogs (new, edit, members, delete with what goes), which share the
 * selected account and the reload.
 */
export function AccountsTab() {
  const { data: accounts, message, setMessage, reload: load } = useLoaded(api.directory.accounts.list);
  const [editing, setEditing] = useState<DirectoryAccount | null>(null);
  const [members, setMembers] = useState<DirectoryAccount | null>(null);
  const [deleting, setDeleting] = useState<{
    account: DirectoryAccount;
    impact: AccountImpact | null;
    error?: string;
  } | null>(null);

  const askDelete = async (account: DirectoryAccount) => {
    setDeleting({ account, impact: null });
    const r = await api.directory.accounts.impact({ id: account.id });
    setDeleting(r.ok ? { account, impact: r.value } : { account, impact: null, error: r.error.message });
  };
  const doDelete = async () => {
    if (!deleting) return;
    const r = await api.directory.accounts.delete({ id: deleting.account.id });
    if (!r.ok) return setDeleting({ ...deleting, error: r.error.message });
    setDeleting(null);
    setMessage({ ok: true, text: `Deleted ${r.value.name}.` });
    await load();
  };

  return (
    <div>
      <h2 id="new-account-title">New account</h2>
      <NewAccount
        onCreated={async (a) => {
          setMessage({ ok: true, text: `Created ${a.name}.` });
          await load();
        }}
      />
      <Notice message={message} />
      <h2>Accounts</h2>
      {!accounts ? (
        <p>Loading…</p>
      ) : (
        <DataTable
          label="Accounts"
          rows={accounts}
          rowKey={(a) => a.id}
          columns={[
            { header: 'Name', cell: (a) => a.name },
            { header: 'ID', cell: (a) => <code>{a.id}</code> },
            { header: 'Plan', cell: (a) => a.plan },
            { header: 'Packages', cell: (a) => a.packages.join(', ') || 'none' },
            { header: 'Embeddable', cell: (a) => (a.embeddable ? 'yes' : 'no') },
            { header: 'Members', cell: (a) => a.members },
            { header: 'Bots', cell: (a) => a.bots },
            {
              header: 'Actions',
              cell: (a) => (
                <RowActions
                  actions={[
                    { text: 'Edit…', name: `Edit ${a.name}`, onClick: () => setEditing(a) },
                    { text: 'Members…', name: `Members of ${a.name}`, onClick: () => setMembers(a) },
                    { text: 'Delete…', name: `Delete ${a.name}`, onClick: () => void askDelete(a) },
                  ]}
                />
              ),
            },
          ]}
        />
      )}
      {editing && (
        <Modal open onOpenChange={(o) => !o && setEditing(null)} title={`Edit ${editing.name}`}>
          <EditAccount
            account={editing}
            onSaved={async (a) => {
              setEditing(null);
              setMessage({ ok: true, text: `Saved ${a.name}.` });
              await load();
            }}
          />
        </Modal>
      )}
      {members && (
        <Modal open onOpenChange={(o) => !o && (setMembers(null), void load())} title={`Members of ${members.name}`}>
          <Members account={members} />
        </Modal>
      )}
      {deleting && (
        <ConfirmDialog
          destructive
          stayOpen
          open
          onCancel={() => setDeleting(null)}
          title={`Delete ${deleting.account.name}?`}
          confirmLabel={`Delete ${deleting.account.name}`}
          busy={!deleting.impact}
          onConfirm={() => void doDelete()}
          description={
            <>
              {deleting.impact ? (
                <ImpactText impact={deleting.impact} />
              ) : (
                !deleting.error && <p>Counting what goes with it…</p>
              )}
              {deleting.error && (
                <p role="alert" className="bad">
                  {deleting.error}
                </p>
              )}
            </>
          }
        />
      )}
    </div>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function ImpactText({ impact }: { impact: AccountImpact }) {
  const items = [
    plural(impact.members, 'membership'),
    impact.bots.length
      ? `${plural(impact.bots.length, 'bot')} (${impact.bots.join(', ')}) with their teams and tokens`
      : 'no bots',
    plural(impact.activeKeys, 'active API key'),
    plural(impact.openSessions, 'open session'),
    ...(impact.sso ? ['its OIDC SSO settings'] : []),
    ...(impact.passthrough ? ['its external authentication settings'] : []),
  ];
  return (
    <>
      <p>This cannot be undone. Deleting {impact.name} also deletes:</p>
      <ul>
        {items.map((i) => (
          <li key={i}>{i}</li>
        ))}
      </ul>
      <p>
        The users stay.{' '}
        {impact.usersLeftWithoutAccount > 0 &&
          `${plural(impact.usersLeftWithoutAccount, 'user')} will then belong to no account.`}
      </p>
    </>
  );
}

function NewAccount({ onCreated }: { onCreated: (a: DirectoryAccount) => Promise<void> }) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: AccountInput,
    defaultValues: { id: '', name: '', plan: 'free', packages: [], embeddable: false },
    fields: ['id', 'name', 'plan'],
    call: (values) => api.directory.accounts.create(values),
    onOk: async (a, _values, f) => {
      f.reset();
      await onCreated(a);
    },
  });
  return (
    <form className="dir-form" aria-labelledby="new-account-title" onSubmit={(e) => void submit(e)} noValidate>
      <TextField form={form} name="name" id="acc-name" label="Name" />
      <TextField form={form} name="id" id="acc-id" label="ID" hint="lowercase letters, digits and dashes" />
      <SelectField form={form} name="plan" id="acc-plan" label="Plan" values={PLANS} />
      <button type="submit" className="primary" disabled={isSubmitting}>
        Create account
      </button>
      <RootError errors={errors} />
    </form>
  );
}

function EditAccount({
  account,
  onSaved,
}: {
  account: DirectoryAccount;
  onSaved: (a: DirectoryAccount) => Promise<void>;
}) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: AccountPatch,
    defaultValues: {
      id: account.id,
      name: account.name,
      plan: account.plan,
      packages: account.packages,
      embeddable: account.embeddable,
    },
    fields: ['name', 'plan', 'packages', 'embeddable'],
    call: (values) => api.directory.accounts.update(values),
    onOk: (a) => onSaved(a),
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Edit ${account.name}`}>
      <TextField form={form} name="name" id="edit-acc-name" label="Name" />
      <SelectField form={form} name="plan" id="edit-acc-plan" label="Plan" values={PLANS} />
      <fieldset>
        <legend>Packages</legend>
        {PACKAGES.map((p) => (
          <label key={p} className="check">
            <input type="checkbox" value={p} {...form.register('packages')} /> {p}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" {...form.register('embeddable')} /> Embeddable (pages without the header)
      </label>
      <RootError errors={errors} />
      <div className="dir-actions">
        <button type="submit" className="primary" disabled={isSubmitting}>
          Save
        </button>
      </div>
    </form>
  );
}
