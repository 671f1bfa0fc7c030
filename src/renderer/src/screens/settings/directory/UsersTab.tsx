import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { UserInput, type DirectoryUser } from '@shared/contract/directory';
import { api } from '@renderer/api';
import { Notice } from '@renderer/components/Notice';
import { RootError, TextField } from './parts/FormParts';
import { useContractForm } from './parts/useContractForm';
import { useLoaded } from './parts/useLoaded';
import { UserPage } from './UserPage';

const ROW = 40;

/** Users: a filterable, virtualized list (thousands scroll like ten), a form to add one, and the user page. */
export function UsersTab() {
  const { data: users, message, setMessage, reload: load } = useLoaded(api.directory.users.list);
  const [filter, setFilter] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const lastOpened = useRef<string | null>(null);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (users ?? []).filter(
      (u) =>
        !f || u.email.includes(f) || u.name.toLowerCase().includes(f) || (u.externalId ?? '').toLowerCase().includes(f),
    );
  }, [users, filter]);

  if (open)
    return (
      <UserPage
        email={open}
        onClose={(note) => {
          lastOpened.current = open;
          setOpen(null);
          if (note) setMessage({ ok: true, text: note });
          void load();
        }}
      />
    );

  return (
    <div>
      <h2 id="new-user-title">New user</h2>
      <NewUser
        onCreated={async (u) => {
          setMessage({ ok: true, text: `Created ${u.email}.` });
          await load();
        }}
      />
      <Notice message={message} />
      <h2 id="users-title">Users</h2>
      <label htmlFor="user-filter">Filter by email, name or external ID</label>
      <input id="user-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <p className="muted" aria-live="polite">
        {users ? `${shown.length} of ${users.length} users` : 'Loading…'}
      </p>
      <UserList users={shown} onOpen={setOpen} focusEmail={lastOpened.current} />
    </div>
  );
}

function UserList({
  users,
  onOpen,
  focusEmail,
}: {
  users: DirectoryUser[];
  onOpen: (email: string) => void;
  focusEmail: string | null;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: users.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 8,
  });
  // Coming back from a user page, focus returns to that user's row.
  useEffect(() => {
    if (!focusEmail) return;
    const index = users.findIndex((u) => u.email === focusEmail);
    if (index < 0) return;
    virtualizer.scrollToIndex(index);
    requestAnimationFrame(() =>
      scroller.current?.querySelector<HTMLButtonElement>(`[data-email="${CSS.escape(focusEmail)}"]`)?.focus(),
    );
  }, [focusEmail, users, virtualizer]);
  return (
    <div ref={scroller} className="dir-users">
      <ul aria-labelledby="users-title" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => {
          const u = users[v.index]!;
          return (
            <li key={u.email} style={{ top: v.start, height: v.size }}>
              <button
                type="button"
                data-email={u.email}
                onClick={() => onOpen(u.email)}
                aria-label={`${u.name}, ${u.email}, ${userStatus(u)}, ${userSource(u)}: open`}
              >
                <span>{u.email}</span>
                <span>{u.name}</span>
                <span>{u.accounts === 1 ? '1 account' : `${u.accounts} accounts`}</span>
                <span>{u.hasPassword ? 'password set' : 'no password'}</span>
                <span className={u.deactivated > 0 ? 'bad' : undefined}>{userStatus(u)}</span>
                <span>{userSource(u)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The status column: active, or in how many accounts the user is deactivated. */
const userStatus = (u: DirectoryUser): string =>
  u.deactivated === 0
    ? 'active'
    : u.deactivated === u.accounts
      ? 'deactivated'
      : `deactivated in ${u.deactivated} of ${u.accounts}`;
/** The source column: made in SSO Desk, or provisioned by which IdP. */
const userSource = (u: DirectoryUser): string =>
  u.provisionedBy.length === 0 ? 'SSO Desk' : `SCIM: ${u.provisionedBy.join(', ')}`;

function NewUser({ onCreated }: { onCreated: (u: DirectoryUser) => Promise<void> }) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: UserInput,
    defaultValues: { email: '', name: '', externalId: '', password: undefined },
    fields: ['email', 'name', 'externalId', 'password'],
    call: (values) =>
      api.directory.users.create({
        ...values,
        externalId: values.externalId || undefined,
        password: values.password || undefined,
      }),
    onOk: async (u, _values, f) => {
      f.reset();
      await onCreated(u);
    },
  });
  return (
    <form className="dir-form" aria-labelledby="new-user-title" onSubmit={(e) => void submit(e)} noValidate>
      <TextField form={form} name="email" id="user-email" label="Email" type="email" autoComplete="off" />
      <TextField form={form} name="name" id="user-name" label="Name" />
      <TextField form={form} name="externalId" id="user-external" label="External ID (optional)" />
      <TextField
        form={form}
        name="password"
        id="user-password"
        label="Local password (optional)"
        type="password"
        autoComplete="new-password"
        setValueAs={(v) => v || undefined}
      />
      <button type="submit" className="primary" disabled={isSubmitting}>
        Create user
      </button>
      <RootError errors={errors} />
    </form>
  );
}
