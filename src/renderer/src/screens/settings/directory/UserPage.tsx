import { useCallback, useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { UserPatch, type UserPage as UserPageData, type UserSession } from '../../../../../shared/contract/directory';
import { NewPassword } from '../../../../../shared/workspace';
import { api } from '../../../api';
import { Notice } from '../../../components/Notice';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog';
import { Field, applyServerError, describedBy, when } from './ui';
import { statusWords } from './Members';

const METHOD_WORDS = { sso: 'Sign in with SSO', passthrough: 'External authentication', password: 'SSO Desk password', refused: 'Refused' } as const;
const SESSION_WORDS = { password: 'Password login', sso: 'Sign in with SSO', 'platform-sso': 'Platform SSO deep link' } as const;

/**
 * One user: the accounts with the sign-in method and the policy's reason, membership status and who
 * changed it, open sessions (end them), lockouts, the bots, recent audit events; edit, password, delete.
 */
export function UserPage({ email, onClose }: { email: string; onClose: (note?: string) => void }) {
  const [page, setPage] = useState<UserPageData | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirm, setConfirm] = useState<'delete' | 'clear-password' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    const r = await api.directory.user.get({ email });
    if (r.ok) setPage(r.value);
    else setMessage({ ok: false, text: r.error.message });
  }, [email]);
  useEffect(() => void load(), [load]);
  // Opening the page moves focus to its title, so a keyboard user starts at the top of it.
  useEffect(() => heading.current?.focus(), []);

  const endSession = async (s: UserSession) => {
    const r = await api.directory.user.endSession({ email, kind: s.kind, id: s.id });
    setMessage(r.ok ? { ok: true, text: `Ended the ${SESSION_WORDS[s.kind].toLowerCase()} session in ${s.accountName}.` } : { ok: false, text: r.error.message });
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
    setMessage(r.ok ? { ok: true, text: `Removed the local password of ${email}.` } : { ok: false, text: r.error.message });
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
          <p>{page.user.hasPassword ? 'A local password is set (it is stored as a scrypt hash and never shown).' : 'No local password is set.'}</p>
          <SetPassword email={email} has={page.user.hasPassword} onSaved={async (text) => (setMessage({ ok: true, text }), await load())} />
          {page.user.hasPassword && (
            <button type="button" onClick={() => setConfirm('clear-password')}>
              Remove the local password…
            </button>
          )}

          <h3>Accounts and how this user signs in</h3>
          {page.accounts.length === 0 ? (
            <p>{page.user.email} belongs to no account.</p>
          ) : (
            <table className="grid" aria-label={`Accounts of ${page.user.email}`}>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Role</th>
                  <th scope="col">Membership</th>
                  <th scope="col">Sign-in method</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {page.accounts.map((a) => (
                  <tr key={a.accountId}>
                    <td>{a.accountName}</td>
                    <td>{a.role}</td>
                    <td>
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
                    </td>
                    <td className={a.method === 'refused' ? 'bad' : undefined}>{METHOD_WORDS[a.method]}</td>
                    <td>{a.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h3>Open sessions</h3>
          {page.sessions.length === 0 ? (
            <p>No open sessions.</p>
          ) : (
            <table className="grid" aria-label={`Open sessions of ${page.user.email}`}>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Account</th>
                  <th scope="col">Detail</th>
                  <th scope="col">Started</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {page.sessions.map((s) => (
                  <tr key={`${s.kind}-${s.id}`}>
                    <td>{SESSION_WORDS[s.kind]}</td>
                    <td>{s.accountName}</td>
                    <td>{s.detail}</td>
                    <td>{when(s.createdAt)}</td>
                    <td>{when(s.expiresAt)}</td>
                    <td>
                      <button type="button" onClick={() => void endSession(s)} aria-label={`End ${SESSION_WORDS[s.kind]} session in ${s.accountName} started ${when(s.createdAt)}`}>
                        End
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <LockoutsSlot email={page.user.email} />

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
            <table className="grid" aria-label={`Recent audit events of ${page.user.email}`}>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {page.audit.map((e) => (
                  <tr key={e.id}>
                    <td>{when(e.at)}</td>
                    <td>{e.kind}</td>
                    <td>{e.actor ?? ''}</td>
                    <td>{e.outcome}</td>
                    <td>{e.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
                  This cannot be undone. With the user go {page.accounts.length} membership{page.accounts.length === 1 ? '' : 's'}, their places on bot
                  teams and {page.sessions.length} open session{page.sessions.length === 1 ? '' : 's'}. A user who owns a bot or is an account’s only
                  owner cannot be deleted.
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
                <p>Password login with the SSO Desk password stops working for this user, and their open password sessions end.</p>
              </>
            }
          />
        </>
      )}
    </article>
  );
}

/**
 * Login protection's lockouts of this email. The throttle keeps its counts in memory and does not list
 * them yet; when it exposes a list/clear channel, this slot shows and clears them.
 */
function LockoutsSlot({ email }: { email: string }) {
  return (
    <section aria-labelledby="lockouts-title" data-slot="lockouts">
      <h3 id="lockouts-title">Lockouts</h3>
      <p className="muted">Lockouts of {email} are not listed here yet: login protection does not report them to the console.</p>
    </section>
  );
}

function EditUser({ page, onSaved }: { page: UserPageData; onSaved: (text: string) => Promise<void> }) {
  const form = useForm<z.input<typeof UserPatch>, unknown, z.output<typeof UserPatch>>({
    resolver: zodResolver(UserPatch),
    defaultValues: { email: page.user.email, name: page.user.name, externalId: page.user.externalId ?? '' },
  });
  const { errors, isSubmitting, isDirty } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const r = await api.directory.users.update({ ...values, externalId: values.externalId || null });
    if (applyServerError(r, form.setError, ['name', 'externalId'])) return;
    form.reset(values);
    await onSaved(`Saved ${page.user.email}.`);
  });
  return (
    <form className="dir-form" aria-labelledby="user-details-title" onSubmit={(e) => void submit(e)} noValidate>
      <Field id="edit-user-name" label="Name" error={errors.name?.message}>
        <input id="edit-user-name" {...form.register('name')} {...describedBy('edit-user-name', errors.name)} />
      </Field>
      <Field id="edit-user-external" label="External ID" error={errors.externalId?.message}>
        <input id="edit-user-external" {...form.register('externalId')} {...describedBy('edit-user-external', errors.externalId)} />
      </Field>
      <button type="submit" disabled={isSubmitting || !isDirty}>
        Save details
      </button>
      {errors.root && (
        <p role="alert" className="bad">
          {errors.root.message}
        </p>
      )}
    </form>
  );
}

const PasswordForm = z.strictObject({ password: NewPassword });

function SetPassword({ email, has, onSaved }: { email: string; has: boolean; onSaved: (text: string) => Promise<void> }) {
  const form = useForm<z.input<typeof PasswordForm>>({ resolver: zodResolver(PasswordForm), defaultValues: { password: '' } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async ({ password }) => {
    const r = await api.directory.users.setPassword({ email, password });
    if (applyServerError(r, form.setError, ['password'])) return;
    form.reset({ password: '' });
    await onSaved(`${has ? 'Reset' : 'Set'} the local password of ${email}; it is not shown again.`);
  });
  return (
    <form className="dir-form" aria-labelledby="user-password-title" onSubmit={(e) => void submit(e)} noValidate>
      <Field id="new-password" label={has ? 'New password' : 'Password'} error={errors.password?.message}>
        <input id="new-password" type="password" autoComplete="new-password" {...form.register('password')} {...describedBy('new-password', errors.password)} />
      </Field>
      <button type="submit" disabled={isSubmitting}>
        {has ? 'Reset password' : 'Set password'}
      </button>
      {errors.root && (
        <p role="alert" className="bad">
          {errors.root.message}
        </p>
      )}
    </form>
  );
}
