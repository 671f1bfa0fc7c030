import { useState } from 'react';
import { MembershipInput, type DirectoryAccount, type DirectoryMember } from '@shared/contract/directory';
import { ROLES, type Role } from '@shared/domain';
import { api } from '@renderer/api';
import { Notice } from '@renderer/components/Notice';
import { ConfirmDialog } from '@renderer/components/ui/ConfirmDialog';
import { when } from './ui';
import { DataTable } from './parts/DataTable';
import { RootError, SelectField, TextField } from './parts/FormParts';
import { RowActions } from './parts/RowActions';
import { useContractForm } from './parts/useContractForm';
import { useLoaded } from './parts/useLoaded';

/** Who changed a membership's status, in words. */
export const statusWords = (m: Pick<DirectoryMember, 'status' | 'statusBy' | 'statusAt'>): string => {
  const by = m.statusBy?.startsWith('scim:')
    ? `by provisioning from ${m.statusBy.slice(5)}`
    : m.statusBy === 'console'
      ? 'by an admin'
      : m.statusBy
        ? `by ${m.statusBy}`
        : '';
  return [m.status === 'active' ? 'Active' : 'Deactivated', by, m.statusAt ? `on ${when(m.statusAt)}` : '']
    .filter(Boolean)
    .join(' ');
};

/**
 * The members of one account: role, status (deactivate/reactivate), remove, add.
 *
 * Long because the members table, its add form and the role and removal actions share one account's list and its
 * reload.
 */
export function Members({ account }: { account: DirectoryAccount }) {
  const {
    data: members,
    message,
    say: answer,
  } = useLoaded(() => api.directory.memberships.list({ id: account.id }), [account.id]);
  const [removing, setRemoving] = useState<DirectoryMember | null>(null);
  const setRole = async (m: DirectoryMember, role: Role) =>
    answer(
      await api.directory.memberships.update({ account: account.id, email: m.email, role }),
      `${m.email} is now ${role}.`,
    );
  const toggle = async (m: DirectoryMember) => {
    const status = m.status === 'active' ? 'deactivated' : 'active';
    await answer(
      await api.directory.memberships.setStatus({ account: account.id, email: m.email, status }),
      `${m.email} ${status === 'active' ? 'reactivated' : 'deactivated'} in ${account.name}.`,
    );
  };
  const remove = async () => {
    if (!removing) return;
    const r = await api.directory.memberships.remove({ account: account.id, email: removing.email });
    setRemoving(null);
    await answer(r, `Removed ${removing.email} from ${account.name}.`);
  };

  return (
    <div>
      {!members ? (
        <p>Loading…</p>
      ) : (
        <DataTable
          label={`Members of ${account.name}`}
          rows={members}
          rowKey={(m) => m.email}
          columns={[
            {
              header: 'Member',
              cell: (m) => (
                <>
                  {m.name}
                  <br />
                  <span className="muted">{m.email}</span>
                  {m.source === 'scim' && <span className="muted"> · provisioned by {m.provisionedBy ?? 'SCIM'}</span>}
                </>
              ),
            },
            {
              header: 'Role',
              cell: (m) => (
                <select
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  onChange={(e) => void setRole(m, e.target.value as Role)}
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              ),
            },
            { header: 'Status', cell: (m) => statusWords(m) },
            {
              header: 'Actions',
              cell: (m) => {
                const verb = m.status === 'active' ? 'Deactivate' : 'Reactivate';
                return (
                  <RowActions
                    actions={[
                      { text: verb, name: `${verb} ${m.email}`, onClick: () => void toggle(m) },
                      { text: 'Remove…', name: `Remove ${m.email}`, onClick: () => setRemoving(m) },
                    ]}
                  />
                );
              },
            },
          ]}
        />
      )}
      <Notice message={message} />
      <h3 id="add-member-title">Add a member</h3>
      <AddMember account={account} onAdded={(m) => answer({ ok: true }, `Added ${m.email} as ${m.role}.`)} />
      {removing && (
        <ConfirmDialog
          destructive
          stayOpen
          open
          onCancel={() => setRemoving(null)}
          title={`Remove ${removing.email} from ${account.name}?`}
          confirmLabel="Remove"
          onConfirm={() => void remove()}
          description={
            <>
              <p>
                {removing.name} loses access to {account.name}; their bot team places and the user stay. To keep the
                membership but refuse sign-in, deactivate it instead.
              </p>
            </>
          }
        />
      )}
    </div>
  );
}

function AddMember({
  account,
  onAdded,
}: {
  account: DirectoryAccount;
  onAdded: (m: DirectoryMember) => Promise<void>;
}) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: MembershipInput,
    defaultValues: { account: account.id, email: '', role: 'member' },
    fields: ['email', 'role'],
    call: (values) => api.directory.memberships.add(values),
    onOk: async (m, _values, f) => {
      f.reset({ account: account.id, email: '', role: 'member' });
      await onAdded(m);
    },
  });
  return (
    <form className="dir-form" aria-labelledby="add-member-title" onSubmit={(e) => void submit(e)} noValidate>
      <input type="hidden" {...form.register('account')} />
      <TextField form={form} name="email" id="member-email" label="Email of an existing user" type="email" />
      <SelectField form={form} name="role" id="member-role" label="Role" values={ROLES} />
      <button type="submit" disabled={isSubmitting}>
        Add member
      </button>
      <RootError errors={errors} />
    </form>
  );
}
