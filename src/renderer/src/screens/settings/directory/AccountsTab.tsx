import { useCallback, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { AccountInput, AccountPatch, type AccountImpact, type DirectoryAccount } from '../../../../../shared/contract/directory';
import { PACKAGES, PLANS } from '../../../../../shared/domain';
import { api } from '../../../api';
import { Notice } from '../../../components/Notice';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { Field, Modal, applyServerError, describedBy } from './ui';
import { Members } from './Members';

type Msg = { ok: boolean; text: string } | null;

/** Accounts: create, edit (name, plan, packages, embeddable), members, delete with what goes with it. */
export function AccountsTab() {
  const [accounts, setAccounts] = useState<DirectoryAccount[] | null>(null);
  const [message, setMessage] = useState<Msg>(null);
  const [editing, setEditing] = useState<DirectoryAccount | null>(null);
  const [members, setMembers] = useState<DirectoryAccount | null>(null);
  const [deleting, setDeleting] = useState<{ account: DirectoryAccount; impact: AccountImpact | null; error?: string } | null>(null);

  const load = useCallback(async () => {
    const r = await api.directory.accounts.list();
    if (r.ok) setAccounts(r.value);
    else setMessage({ ok: false, text: r.error.message });
  }, []);
  useEffect(() => void load(), [load]);

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
        <table className="grid" aria-label="Accounts">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">ID</th>
              <th scope="col">Plan</th>
              <th scope="col">Packages</th>
              <th scope="col">Embeddable</th>
              <th scope="col">Members</th>
              <th scope="col">Bots</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>
                  <code>{a.id}</code>
                </td>
                <td>{a.plan}</td>
                <td>{a.packages.join(', ') || 'none'}</td>
                <td>{a.embeddable ? 'yes' : 'no'}</td>
                <td>{a.members}</td>
                <td>{a.bots}</td>
                <td>
                  <div className="dir-row">
                    <button type="button" aria-label={`Edit ${a.name}`} onClick={() => setEditing(a)}>
                      Edit…
                    </button>
                    <button type="button" aria-label={`Members of ${a.name}`} onClick={() => setMembers(a)}>
                      Members…
                    </button>
                    <button type="button" aria-label={`Delete ${a.name}`} onClick={() => void askDelete(a)}>
                      Delete…
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
              {deleting.impact ? <ImpactText impact={deleting.impact} /> : !deleting.error && <p>Counting what goes with it…</p>}
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
    impact.bots.length ? `${plural(impact.bots.length, 'bot')} (${impact.bots.join(', ')}) with their teams and tokens` : 'no bots',
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
        {impact.usersLeftWithoutAccount > 0 && `${plural(impact.usersLeftWithoutAccount, 'user')} will then belong to no account.`}
      </p>
    </>
  );
}

type NewAccountValues = z.input<typeof AccountInput>;

function NewAccount({ onCreated }: { onCreated: (a: DirectoryAccount) => Promise<void> }) {
  const form = useForm<NewAccountValues, unknown, z.output<typeof AccountInput>>({
    resolver: zodResolver(AccountInput),
    defaultValues: { id: '', name: '', plan: 'free', packages: [], embeddable: false },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await api.directory.accounts.create(values);
    if (applyServerError(r, form.setError, ['id', 'name', 'plan'])) return;
    if (r.ok) {
      form.reset();
      await onCreated(r.value);
    }
  });
  return (
    <form className="dir-form" aria-labelledby="new-account-title" onSubmit={(e) => void submit(e)} noValidate>
      <Field id="acc-name" label="Name" error={errors.name?.message}>
        <input id="acc-name" {...form.register('name')} {...describedBy('acc-name', errors.name)} />
      </Field>
      <Field id="acc-id" label="ID" error={errors.id?.message} hint="lowercase letters, digits and dashes">
        <input id="acc-id" {...form.register('id')} {...describedBy('acc-id', errors.id, true)} />
      </Field>
      <Field id="acc-plan" label="Plan" error={errors.plan?.message}>
        <select id="acc-plan" {...form.register('plan')}>
          {PLANS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </Field>
      <button type="submit" className="primary" disabled={isSubmitting}>
        Create account
      </button>
      {errors.root && (
        <p role="alert" className="bad">
          {errors.root.message}
        </p>
      )}
    </form>
  );
}

type PatchValues = z.input<typeof AccountPatch>;

function EditAccount({ account, onSaved }: { account: DirectoryAccount; onSaved: (a: DirectoryAccount) => Promise<void> }) {
  const form = useForm<PatchValues, unknown, z.output<typeof AccountPatch>>({
    resolver: zodResolver(AccountPatch),
    defaultValues: { id: account.id, name: account.name, plan: account.plan, packages: account.packages, embeddable: account.embeddable },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await api.directory.accounts.update(values);
    if (applyServerError(r, form.setError, ['name', 'plan', 'packages', 'embeddable'])) return;
    if (r.ok) await onSaved(r.value);
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Edit ${account.name}`}>
      <Field id="edit-acc-name" label="Name" error={errors.name?.message}>
        <input id="edit-acc-name" {...form.register('name')} {...describedBy('edit-acc-name', errors.name)} />
      </Field>
      <Field id="edit-acc-plan" label="Plan" error={errors.plan?.message}>
        <select id="edit-acc-plan" {...form.register('plan')}>
          {PLANS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </Field>
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
