import type { UserPage as UserPageData } from '@shared/contract/directory';
import { ROLES, type Role } from '@shared/domain';
import { api } from '@renderer/api';
import { useConfirm } from '@renderer/components/ui/ConfirmDialog';
import { when } from './ui';
import { AddMembership } from './AddMembership';
import { EnterpriseFacts } from './EnterpriseFacts';
import { statusWords } from './Members';
import { DataTable } from './parts/DataTable';
import type { Msg } from './parts/useLoaded';
import type { UserSectionProps } from './user-section';

type Membership = UserPageData['accounts'][number];

const METHOD_WORDS = {
  sso: 'Sign in with SSO',
  passthrough: 'External authentication',
  password: 'SSO Desk password',
  refused: 'Refused',
} as const;

/** The accounts of the user: role, membership status, how they sign in there and why; add, deactivate, remove. */
export function UserMemberships({
  email,
  shown,
  page,
  say,
  setMessage,
}: UserSectionProps & { page: UserPageData; setMessage: (m: Msg) => void }) {
  const changeRole = async (a: Membership, role: Role) => {
    const r = await api.directory.memberships.update({ account: a.accountId, email, role });
    await say(r, `${email} is now ${role} in ${a.accountName}.`);
  };
  return (
    <>
      <h3>Accounts and how this user signs in</h3>
      {page.accounts.length === 0 ? (
        <p>{shown} belongs to no account.</p>
      ) : (
        <DataTable
          label={`Accounts of ${shown}`}
          rows={page.accounts}
          rowKey={(a) => a.accountId}
          columns={[
            { header: 'Account', cell: (a) => a.accountName },
            {
              header: 'Role',
              cell: (a) => (
                <select
                  aria-label={`Role of ${shown} in ${a.accountName}`}
                  value={a.role}
                  onChange={(e) => void changeRole(a, e.target.value as Role)}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              ),
            },
            { header: 'Membership', cell: (a) => <MembershipState a={a} /> },
            {
              header: 'Sign-in method',
              cell: (a) => METHOD_WORDS[a.method],
              className: (a) => (a.method === 'refused' ? 'bad' : undefined),
            },
            { header: 'Why', cell: (a) => a.reason },
            { header: 'Action', cell: (a) => <MembershipActions email={email} shown={shown} a={a} say={say} /> },
          ]}
        />
      )}
      <AddMembership
        email={shown}
        member={page.accounts.map((a) => a.accountId)}
        onAdded={(text) => say({ ok: true }, text)}
        onFailed={(text) => setMessage({ ok: false, text })}
      />
    </>
  );
}

/** Active or deactivated (and by whom), who provisioned it, and what the IdP sent about the user. */
function MembershipState({ a }: { a: Membership }) {
  return (
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
      {a.enterprise && <EnterpriseFacts accountName={a.accountName} e={a.enterprise} />}
    </>
  );
}

/** Deactivate or reactivate the membership, or remove it (asks first: sessions and deep links there end). */
function MembershipActions({ email, shown, a, say }: UserSectionProps & { a: Membership }) {
  const ask = useConfirm();
  const setStatus = async (status: 'active' | 'deactivated') => {
    const r = await api.directory.memberships.setStatus({ account: a.accountId, email, status });
    await say(
      r,
      status === 'active'
        ? `Reactivated ${email} in ${a.accountName}: they can sign in again.`
        : `Deactivated ${email} in ${a.accountName}: their sessions and deep links there have ended.`,
    );
  };
  const remove = async () => {
    const yes = await ask({
      title: `Remove ${email} from ${a.accountName}?`,
      description: (
        <p>
          They leave {a.accountName}: their sessions and deep links there end now. Their user and their other accounts
          stay.
        </p>
      ),
      confirmLabel: `Remove from ${a.accountName}`,
      destructive: true,
    });
    if (!yes) return;
    const r = await api.directory.memberships.remove({ account: a.accountId, email });
    await say(r, `Removed ${email} from ${a.accountName}: their sessions and deep links there have ended.`);
  };
  return (
    <>
      {a.status === 'deactivated' ? (
        <button
          type="button"
          onClick={() => void setStatus('active')}
          aria-label={`Reactivate ${shown} in ${a.accountName}`}
        >
          Reactivate
        </button>
      ) : (
        <button
          type="button"
          onClick={() => void setStatus('deactivated')}
          aria-label={`Deactivate ${shown} in ${a.accountName}`}
        >
          Deactivate
        </button>
      )}{' '}
      <button type="button" onClick={() => void remove()} aria-label={`Remove ${shown} from ${a.accountName}`}>
        Remove…
      </button>
    </>
  );
}
