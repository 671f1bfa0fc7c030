import { useEffect, useRef } from 'react';
import { api } from '@renderer/api';
import { Notice } from '@renderer/components/Notice';
import { useLoaded } from './parts/useLoaded';
import { DeleteUser } from './DeleteUser';
import { UserActivity } from './UserActivity';
import { UserDeepLinks } from './UserDeepLinks';
import { UserDetails } from './UserDetails';
import { UserLockouts } from './UserLockouts';
import { UserMemberships } from './UserMemberships';
import { UserPassword } from './UserPassword';
import { UserSessions } from './UserSessions';

/**
 * One user: the accounts with the sign-in method and the policy's reason, membership status and who
 * changed it, open sessions (end them), lockouts, the bots, recent audit events; edit, password, delete.
 * One load feeds every section, and every section's action reloads it: ending a membership ends
 * sessions and deep links too, so the page is re-read whole.
 */
export function UserPage({ email, onClose }: { email: string; onClose: (note?: string) => void }) {
  const { data: page, message, setMessage, say } = useLoaded(() => api.directory.user.get({ email }), [email]);
  const heading = useRef<HTMLHeadingElement>(null);

  // Opening the page moves focus to its title, so a keyboard user starts at the top of it.
  useEffect(() => heading.current?.focus(), []);

  const shown = page?.user.email ?? email;
  const section = { email, shown, say };
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
          <UserDetails page={page} onSaved={(text) => say({ ok: true }, text)} />
          <UserPassword {...section} has={page.user.hasPassword} />
          <UserMemberships {...section} page={page} setMessage={setMessage} />
          <UserSessions {...section} sessions={page.sessions} />
          <UserDeepLinks {...section} links={page.deepLinks} />
          <UserLockouts {...section} lockouts={page.lockouts} />
          <UserActivity page={page} />
          <DeleteUser
            email={email}
            page={page}
            onDeleted={onClose}
            onFailed={(text) => setMessage({ ok: false, text })}
          />
        </>
      )}
    </article>
  );
}
