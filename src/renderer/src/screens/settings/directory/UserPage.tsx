import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import {
  UserPatch,
  type UserDeepLink,
  type UserLockout,
  type UserPage as UserPageData,
  type UserSession,
} from '@shared/contract/directory';
import { NewPassword } from '@shared/workspace';
import { api } from '@renderer/api';
import { Notice } from '@renderer/components/Notice';
import { ConfirmDialog, useConfirm } from '@renderer/components/ui/ConfirmDialog';
import { ROLES, type Role } from '@shared/domain';
import { when } from './ui';
import { DataTable } from './parts/DataTable';
import { RootError, TextField } from './parts/FormParts';
import { useContractForm } from './parts/useContractForm';
import { useLoaded } from './parts/useLoaded';
import { statusWords } from './Members';

const METHOD_WORDS = {
  sso: 'Sign in with SSO',
  passthrough: 'External authentication',
  password: 'SSO Desk password',
  refused: 'Refused',
} as const;
const SESSION_WORDS = {
  password: 'Password login',
  sso: 'Sign in with SSO',
  'platform-sso': 'Platform SSO deep link',
} as const;

/**
 * One user: the accounts with the sign-in method and the policy's reason, membership status and who
 * changed it, open sessions (end them), lockouts, the bots, recent audit events; edit, password, delete.
 */
export function UserPage({ email, onClose }: { email: string; onClose: (note?: string) => void }) {
  const { data: page, message, setMessage, reload: load } = useLoaded(() => api.directory.user.get({ email }), [email]);
  const [confirm, setConfirm] = useState<'delete' | 'clear-password' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const ask = useConfirm();

  // Opening the page moves focus to its title, so a keyboard user starts at the top of it.
  useEffect(() => heading.current?.focus(), []);

  const endSession = async (s: UserSession) => {
    const r = await api.directory.user.endSession({ email, kind: s.kind, id: s.id });
    setMessage(
      r.ok
        ? { ok: true, text: `Revoked the ${SESSION_WORDS[s.kind].toLowerCase()} session in ${s.accountName}.` }
        : { ok: false, text: r.error.message },
    );
    await load();
  };
  const revokeDeepLink = async (t: UserDeepLink) => {
    const r = await api.directory.user.revokeDeepLink({ email, id: t.id });
    setMessage(
      r.ok
        ? { ok: true, text: `Revoked the deep link${t.botName ? ` into ${t.botName}` : ''}: it no longer opens.` }
        : { ok: false, text: r.error.message },
    );
    await load();
  };
  const changeRole = async (accountId: string, accountName: string, role: Role) => {
    const r = await api.directory.memberships.update({ account: accountId, email, role });
    setMessage(
      r.ok ? { ok: true, text: `${email} is now ${role} in ${accountName}.` } : { ok: false, text: r.error.message },
    );
    await load();
  };
  const removeMembership = async (accountId: string, accountName: string) => {
    const yes = await ask({
      title: `Remove ${email} from ${accountName}?`,
      description: (
        <p>
          They leave {accountName}: their sessions and deep links there end now. Their user and their other accounts
          stay.
        </p>
      ),
      confirmLabel: `Remove from ${accountName}`,
      destructive: true,
    });
    if (!yes) return;
    const r = await api.directory.memberships.remove({ account: accountId, email });
    setMessage(
      r.ok
        ? { ok: true, text: `Removed ${email} from ${accountName}: their sessions and deep links there have ended.` }
        : { ok: false, text: r.error.message },
    );
    await load();
  };
  const setStatus = async (accountId: string, accountName: string, status: 'active' | 'deactivated') => {
    const r = await api.directory.memberships.setStatus({ account: accountId, email, status });
    setMessage(
      r.ok
        ? {
            ok: true,
            text:
              status === 'active'
                ? `Reactivated ${email} in ${accountName}: they can sign in again.`
                : `Deactivated ${email} in ${accountName}: their sessions and deep links there have ended.`,
          }
        : { ok: false, text: r.error.message },
    );
    await load();
  };
  const unlock = async () => {
    const r = await api.directory.user.unlock({ email });
    setMessage(
      r.ok
        ? {
            ok: true,
            text: r.value.cleared.length
              ? `Unlocked ${email}: every login-protection count was cleared; the next right password gets in.`
              : `Nothing to unlock for ${email}.`,
          }
        : { ok: false, text: r.error.message },
    );
    await load();
  };
  const deleteUser = async () => {
    const r = await api.directory.users.delete({ email });
    setConfirm(null);
    if (r.ok) onClose(`Deleted ${email}.`);
    else setMessage({ ok: false, text: r.error.message });
  };
  const clearPassword = async () => {
    const r = await api.directory.users.setPassword({ email, password: null });
    setConfirm(null);
    setMessage(
      r.ok ? { ok: true, text: `Removed the local password of ${email}.` } : { ok: false, text: r.error.message },
    );
    await load();
  };

  return (
    <article aria-labelledby="user-page-title">
      <button type="button" onClick={() => onClose()}>
        ← All users
      </button>
      <h2 id="user-page-title" tabIndex={-1} ref={heading}>
        {page ? `${page.user.name} (${page.user.email})` : email}
      </h2>
      <Notice message={message} />
      {page && (
        <>
          <h3 id="user-details-title">Details</h3>
          <EditUser page={page} onSaved={async (text) => (setMessage({ ok: true, text }), await load())} />
          <h3 id="user-password-title">Local password</h3>
          <p>
            {page.user.hasPassword
              ? 'A local password is set (it is stored as a scrypt hash and never shown).'
              : 'No local password is set.'}
          </p>
          <SetPassword
            email={email}
            has={page.user.hasPassword}
            onSaved={async (text) => (setMessage({ ok: true, text }), await load())}
          />
          {page.user.hasPassword && (
            <button type="button" onClick={() => setConfirm('clear-password')}>
              Remove the local password…
            </button>
          )}

          <h3>Accounts and how this user signs in</h3>
          {page.accounts.length === 0 ? (
            <p>{page.user.email} belongs to no account.</p>
          ) : (
            <DataTable
              label={`Accounts of ${page.user.email}`}
              rows={page.accounts}
              rowKey={(a) => a.accountId}
              columns={[
                { header: 'Account', cell: (a) => a.accountName },
                {
                  header: 'Role',
                  cell: (a) => (
                    <select
                      aria-label={`Role of ${page.user.email} in ${a.accountName}`}
                      value={a.role}
                      onChange={(e) => void changeRole(a.accountId, a.accountName, e.target.value as Role)}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ),
                },
                {
                  header: 'Membership',
                  cell: (a) => (
                    <>
                      {statusWords(a)}
                      {a.source === 'scim' && (
                        <>
                          <br />
                          <span className="muted">
                            Provisioned by {a.provisionedBy ?? 'SCIM'}
                            {a.provisionedAt ? ` on ${when(a.provisionedAt)}` : ''}
                          </span>
                        </>
                      )}
                    </>
                  ),
                },
                {
                  header: 'Sign-in method',
                  cell: (a) => METHOD_WORDS[a.method],
                  className: (a) => (a.method === 'refused' ? 'bad' : undefined),
                },
                { header: 'Why', cell: (a) => a.reason },
                {
                  header: 'Action',
                  cell: (a) => (
                    <>
                      {a.status === 'deactivated' ? (
                        <button
                          type="button"
                          onClick={() => void setStatus(a.accountId, a.accountName, 'active')}
                          aria-label={`Reactivate ${page.user.email} in ${a.accountName}`}
                        >
                          Reactivate
                        </button>
                      ) : (
                        <button
                          type="button"
                          onClick={() => void setStatus(a.accountId, a.accountName, 'deactivated')}
                          aria-label={`Deactivate ${page.user.email} in ${a.accountName}`}
                        >
                          Deactivate
                        </button>
                      )}{' '}
                      <button
                        type="button"
                        onClick={() => void removeMembership(a.accountId, a.accountName)}
                        aria-label={`Remove ${page.user.email} from ${a.accountName}`}
                      >
                        Remove…
                      </button>
                    </>
                  ),
                },
              ]}
            />
          )}
          <AddMembership
            email={page.user.email}
            member={page.accounts.map((a) => a.accountId)}
            onAdded={async (text) => (setMessage({ ok: true, text }), await load())}
            onFailed={(text) => setMessage({ ok: false, text })}
          />

          <h3>Open sessions</h3>
          {page.sessions.length === 0 ? (
            <p>No open sessions.</p>
          ) : (
            <DataTable
              label={`Open sessions of ${page.user.email}`}
              rows={page.sessions}
              rowKey={(s) => `${s.kind}-${s.id}`}
              columns={[
                { header: 'Kind', cell: (s) => SESSION_WORDS[s.kind] },
                { header: 'Account', cell: (s) => s.accountName },
                { header: 'Detail', cell: (s) => s.detail },
                { header: 'Started', cell: (s) => when(s.createdAt) },
                { header: 'Expires', cell: (s) => when(s.expiresAt) },
                {
                  header: 'Action',
                  cell: (s) => (
                    <button
                      type="button"
                      onClick={() => void endSession(s)}
                      aria-label={`Revoke ${SESSION_WORDS[s.kind]} session in ${s.accountName} started ${when(s.createdAt)}`}
                    >
                      Revoke
                    </button>
                  ),
                },
              ]}
            />
          )}
          <DeepLinks email={page.user.email} links={page.deepLinks} onRevoke={(t) => void revokeDeepLink(t)} />
          <Lockouts email={page.user.email} lockouts={page.lockouts} onUnlock={() => void unlock()} />

          <h3>Bots</h3>
          {page.bots.length === 0 ? (
            <p>Not on any bot.</p>
          ) : (
            <ul>
              {page.bots.map((b) => (
                <li key={`${b.id}-${b.place}`}>
                  {b.name} ({b.account}): {b.place}
                </li>
              ))}
            </ul>
          )}

          <h3>Recent audit events</h3>
          {page.audit.length === 0 ? (
            <p>No events for this email.</p>
          ) : (
            <DataTable
              label={`Recent audit events of ${page.user.email}`}
              rows={page.audit}
              rowKey={(e) => String(e.id)}
              columns={[
                { header: 'Time', cell: (e) => when(e.at) },
                { header: 'Event', cell: (e) => e.kind },
                { header: 'Actor', cell: (e) => e.actor ?? '' },
                { header: 'Outcome', cell: (e) => e.outcome },
                { header: 'Reason', cell: (e) => e.reason ?? '' },
              ]}
            />
          )}

          <h3>Delete</h3>
          <button type="button" onClick={() => setConfirm('delete')}>
            Delete {page.user.email}…
          </button>
          <ConfirmDialog
            destructive
            stayOpen
            open={confirm === 'delete'}
            onCancel={() => setConfirm(null)}
            title={`Delete ${page.user.email}?`}
            confirmLabel="Delete user"
            onConfirm={() => void deleteUser()}
            description={
              <>
                <p>
                  This cannot be undone. With the user go {page.accounts.length} membership
                  {page.accounts.length === 1 ? '' : 's'}, their places on bot teams and {page.sessions.length} open
                  session{page.sessions.length === 1 ? '' : 's'}. A user who owns a bot or is an account’s only owner
                  cannot be deleted.
                </p>
              </>
            }
          />
          <ConfirmDialog
            destructive
            stayOpen
            open={confirm === 'clear-password'}
            onCancel={() => setConfirm(null)}
            title={`Remove the local password of ${page.user.email}?`}
            confirmLabel="Remove password"
            onConfirm={() => void clearPassword()}
            description={
              <>
                <p>
                  Password login with the SSO Desk password stops working for this user, and their open password
                  sessions end.
                </p>
              </>
            }
          />
        </>
      )}
    </article>
  );
}

/**
 * Login protection's counts of this email, every key that names it, in the throttle's own numbers;
 * Unlock clears them all together (one key left locked would still refuse the next right password).
 */
function Lockouts({ email, lockouts, onUnlock }: { email: string; lockouts: UserLockout[]; onUnlock: () => void }) {
  const locked = lockouts.some((l) => l.refusedForSeconds !== null);
  return (
    <section aria-labelledby="lockouts-title">
      <h3 id="lockouts-title">Lockouts</h3>
      {lockouts.length === 0 ? (
        <p>No failed sign-ins are counted for {email}.</p>
      ) : (
        <>
          <DataTable
            label={`Login protection counts of ${email}`}
            rows={lockouts}
            rowKey={(l) => l.key}
            columns={[
              { header: 'Check', cell: (l) => SCOPE_WORDS[l.scope] },
              { header: 'Counted for', cell: (l) => l.subject },
              { header: 'Failures', cell: (l) => String(l.failures) },
              {
                header: 'State',
                cell: (l) =>
                  l.refusedForSeconds !== null
                    ? `Locked: refused for ${l.refusedForSeconds} s`
                    : `${l.attemptsLeft} failed attempt${l.attemptsLeft === 1 ? '' : 's'} left before the lock`,
                className: (l) => (l.refusedForSeconds !== null ? 'bad' : undefined),
              },
            ]}
          />
          <button type="button" onClick={onUnlock}>
            {locked ? `Unlock ${email}` : `Clear the counts of ${email}`}
          </button>
        </>
      )}
    </section>
  );
}
/** Unexpired deep links (Platform SSO tokens) of the user, each with Revoke: it stops opening at once. */
function DeepLinks({
  email,
  links,
  onRevoke,
}: {
  email: string;
  links: UserDeepLink[];
  onRevoke: (t: UserDeepLink) => void;
}) {
  return (
    <section aria-labelledby="deep-links-title">
      <h3 id="deep-links-title">Deep links</h3>
      {links.length === 0 ? (
        <p>No unexpired deep links of {email}.</p>
      ) : (
        <DataTable
          label={`Deep links of ${email}`}
          rows={links}
          rowKey={(t) => String(t.id)}
          columns={[
            { header: 'Account', cell: (t) => t.accountName },
            { header: 'Bot', cell: (t) => t.botName ?? '—' },
            { header: 'Issued', cell: (t) => when(t.issuedAt) },
            { header: 'Expires', cell: (t) => when(t.expiresAt) },
            { header: 'Pages open', cell: (t) => String(t.opened) },
            {
              header: 'Action',
              cell: (t) => (
                <button
                  type="button"
                  onClick={() => onRevoke(t)}
                  aria-label={`Revoke deep link${t.botName ? ` into ${t.botName}` : ''} issued ${when(t.issuedAt)}`}
                >
                  Revoke
                </button>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

/** Adds the user to another account with a role (directory.memberships.add). */
function AddMembership(props: {
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

const SCOPE_WORDS = {
  login: 'Password login',
  forgot: 'Forgot password',
  reset: 'Password reset',
  demo: 'Demo pass-through service',
} as const;

function EditUser({ page, onSaved }: { page: UserPageData; onSaved: (text: string) => Promise<void> }) {
  const { form, isSubmitting, isDirty, errors, submit } = useContractForm({
    schema: UserPatch,
    defaultValues: { email: page.user.email, name: page.user.name, externalId: page.user.externalId ?? '' },
    fields: ['name', 'externalId'],
    call: (values) => api.directory.users.update({ ...values, externalId: values.externalId || null }),
    onOk: async (_u, values, f) => {
      f.reset(values);
      await onSaved(`Saved ${page.user.email}.`);
    },
  });
  return (
    <form className="dir-form" aria-labelledby="user-details-title" onSubmit={(e) => void submit(e)} noValidate>
      <TextField form={form} name="name" id="edit-user-name" label="Name" />
      <TextField form={form} name="externalId" id="edit-user-external" label="External ID" />
      <button type="submit" disabled={isSubmitting || !isDirty}>
        Save details
      </button>
      <RootError errors={errors} />
    </form>
  );
}

const PasswordForm = z.strictObject({ password: NewPassword });

function SetPassword({
  email,
  has,
  onSaved,
}: {
  email: string;
  has: boolean;
  onSaved: (text: string) => Promise<void>;
}) {
  const { form, isSubmitting, errors, submit } = useContractForm({
    schema: PasswordForm,
    defaultValues: { password: '' },
    fields: ['password'],
    call: ({ password }) => api.directory.users.setPassword({ email, password }),
    onOk: async (_r, _values, f) => {
      f.reset({ password: '' });
      await onSaved(`${has ? 'Reset' : 'Set'} the local password of ${email}; it is not shown again.`);
    },
  });
  return (
    <form className="dir-form" aria-labelledby="user-password-title" onSubmit={(e) => void submit(e)} noValidate>
      <TextField
        form={form}
        name="password"
        id="new-password"
        label={has ? 'New password' : 'Password'}
        type="password"
        autoComplete="new-password"
      />
      <button type="submit" disabled={isSubmitting}>
        {has ? 'Reset password' : 'Set password'}
      </button>
      <RootError errors={errors} />
    </form>
  );
}
