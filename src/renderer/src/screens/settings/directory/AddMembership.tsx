import { useState } from 'react';
import { ROLES, type Role } from '@shared/domain';
import { api } from '@renderer/api';
import { useLoaded } from './parts/useLoaded';

/** Adds the user to another account with a role (directory.memberships.add). */
export function AddMembership(props: {
  email: string;
  member: string[];
  onAdded: (text: string) => Promise<void>;
  onFailed: (text: string) => void;
}) {
  const { data: accounts } = useLoaded(() => api.directory.accounts.list(), []);
  const choices = (accounts ?? []).filter((a) => !props.member.includes(a.id));
  const [account, setAccount] = useState('');
  const [role, setRole] = useState<Role>('member');
  const chosen = choices.find((a) => a.id === account) ?? choices[0];
  if (!accounts || choices.length === 0) return null;
  const add = async () => {
    if (!chosen) return;
    const r = await api.directory.memberships.add({ account: chosen.id, email: props.email, role });
    if (r.ok) await props.onAdded(`Added ${props.email} to ${chosen.name} as ${role}.`);
    else props.onFailed(r.error.message);
  };
  return (
    <form
      className="dir-form"
      aria-label={`Add ${props.email} to an account`}
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <label htmlFor="add-membership-account">Add to account</label>
      <select id="add-membership-account" value={chosen?.id ?? ''} onChange={(e) => setAccount(e.target.value)}>
        {choices.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <label htmlFor="add-membership-role">Role</label>
      <select id="add-membership-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button type="submit">Add membership</button>
    </form>
  );
}
