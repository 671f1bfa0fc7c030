import type { UserLockout } from '@shared/contract/directory';
import { api } from '@renderer/api';
import { DataTable } from './parts/DataTable';
import type { UserSectionProps } from './user-section';

const SCOPE_WORDS = {
  login: 'Password login',
  forgot: 'Forgot password',
  reset: 'Password reset',
  demo: 'Demo pass-through service',
} as const;

/**
 * Login protection's counts of this email, every key that names it, in the throttle's own numbers;
 * Unlock clears them all together (one key left locked would still refuse the next right password).
 */
export function UserLockouts({ email, shown, lockouts, say }: UserSectionProps & { lockouts: UserLockout[] }) {
  const locked = lockouts.some((l) => l.refusedForSeconds !== null);
  const unlock = async () => {
    const r = await api.directory.user.unlock({ email });
    await say(
      r,
      r.ok && r.value.cleared.length
        ? `Unlocked ${email}: every login-protection count was cleared; the next right password gets in.`
        : `Nothing to unlock for ${email}.`,
    );
  };
  return (
    <section aria-labelledby="lockouts-title">
      <h3 id="lockouts-title">Lockouts</h3>
      {lockouts.length === 0 ? (
        <p>No failed sign-ins are counted for {shown}.</p>
      ) : (
        <>
          <DataTable
            label={`Login protection counts of ${shown}`}
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
          <button type="button" onClick={() => void unlock()}>
            {locked ? `Unlock ${shown}` : `Clear the counts of ${shown}`}
          </button>
        </>
      )}
    </section>
  );
}
