import { useCallback, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { MembershipInput, type DirectoryAccount, type DirectoryMember } from '../../../../../shared/contract/directory';
import { ROLES, type Role } from '../../../../../shared/domain';
import { api } from '../../../api';
import { Notice } from '../../../components/Notice';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { Field, applyServerError, describedBy, when } from './ui';

/** Who changed a membership's status, in words. */
export const statusWords = (m: Pick<DirectoryMember, 'status' | 'statusBy' | 'statusAt'>): string => {
  const by = m.statusBy?.startsWith('scim:') ? `by provisioning from ${m.statusBy.slice(5)}` : m.statusBy === 'console' ? 'by an admin' : m.statusBy ? `by ${m.statusBy}` : '';
  return [m.status === 'active' ? 'Active' : 'Deactivated', by, m.statusAt ? `on ${when(m.statusAt)}` : ''].filter(Boolean).join(' ');
};

/** The members of one account: role, status (deactivate/reactivate), remove, add. */
export function Members({ account }: { account: DirectoryAccount }) {
  const [members, setMembers] = useState<DirectoryMember[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [removing, setRemoving] = useState<DirectoryMember | null>(null);
  const load = useCallback(async () => {
    const r = await api.directory.memberships.list({ id: account.id });
    if (r.ok) setMembers(r.value);
    else setMessage({ ok: false, text: r.error.message });
  }, [account.id]);
  useEffect(() => void load(), [load]);

  const answer = async (r: { ok: true } | { ok: false; error: { message: string } }, text: string) => {
    setMessage(r.ok ? { ok: true, text } : { ok: false, text: r.error.message });
    await load();
  };
  const setRole = async (m: DirectoryMember, role: Role) =>
    answer(await api.directory.memberships.update({ account: account.id, email: m.email, role }), `${m.email} is now ${role}.`);
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
        <table className="grid" aria-label={`Members of ${account.name}`}>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.email}>
                <td>
                  {m.name}
                  <br />
                  <span className="muted">{m.email}</span>
                  {m.source === 'scim' && <span className="muted"> · provisioned by {m.provisionedBy ?? 'SCIM'}</span>}
                </td>
                <td>
                  <select aria-label={`Role of ${m.email}`} value={m.role} onChange={(e) => void setRole(m, e.target.value as Role)}>
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{statusWords(m)}</td>
                <td>
                  <div className="dir-row">
                    <button type="button" onClick={() => void toggle(m)} aria-label={`${m.status === 'active' ? 'Deactivate' : 'Reactivate'} ${m.email}`}>
                      {m.status === 'active' ? 'Deactivate' : 'Reactivate'}
                    </button>
                    <button type="button" onClick={() => setRemoving(m)} aria-label={`Remove ${m.email}`}>
                      Remove…
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
                {removing.name} loses access to {account.name}; their bot team places and the user stay. To keep the membership but refuse
                sign-in, deactivate it instead.
              </p>
            </>
          }
        />
      )}
    </div>
  );
}

function AddMember({ account, onAdded }: { account: DirectoryAccount; onAdded: (m: DirectoryMember) => Promise<void> }) {
  const form = useForm<z.input<typeof MembershipInput>, unknown, z.output<typeof MembershipInput>>({
    resolver: zodResolver(MembershipInput),
    defaultValues: { account: account.id, email: '', role: 'member' },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await api.directory.memberships.add(values);
    if (applyServerError(r, form.setError, ['email', 'role'])) return;
    if (r.ok) {
      form.reset({ account: account.id, email: '', role: 'member' });
      await onAdded(r.value);
    }
  });
  return (
    <form className="dir-form" aria-labelledby="add-member-title" onSubmit={(e) => void submit(e)} noValidate>
      <input type="hidden" {...form.register('account')} />
      <Field id="member-email" label="Email of an existing user" error={errors.email?.message}>
        <input id="member-email" type="email" {...form.register('email')} {...describedBy('member-email', errors.email)} />
      </Field>
      <Field id="member-role" label="Role" error={errors.role?.message}>
        <select id="member-role" {...form.register('role')}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </Field>
      <button type="submit" disabled={isSubmitting}>
        Add member
      </button>
      {errors.root && (
        <p role="alert" className="bad">
          {errors.root.message}
        </p>
      )}
    </form>
  );
}
