import type { UserSession } from '@shared/contract/directory';
import { api } from '@renderer/api';
import { When } from '@renderer/components/When';
import { when } from './ui';
import { DataTable } from './parts/DataTable';
import type { UserSectionProps } from './user-section';

const SESSION_WORDS = {
  password: 'Password login',
  sso: 'Sign in with SSO',
  'platform-sso': 'Platform SSO deep link',
} as const;

/** The user's open sessions in every account, each with Revoke. */
export function UserSessions({ email, shown, sessions, say }: UserSectionProps & { sessions: UserSession[] }) {
  const endSession = async (s: UserSession) => {
    const r = await api.directory.user.endSession({ email, kind: s.kind, id: s.id });
    await say(r, `Revoked the ${SESSION_WORDS[s.kind].toLowerCase()} session in ${s.accountName}.`);
  };
  return (
    <>
      <h3>Open sessions</h3>
      {sessions.length === 0 ? (
        <p>No open sessions.</p>
      ) : (
        <DataTable
          label={`Open sessions of ${shown}`}
          rows={sessions}
          rowKey={(s) => `${s.kind}-${s.id}`}
          columns={[
            { header: 'Kind', cell: (s) => SESSION_WORDS[s.kind] },
            { header: 'Account', cell: (s) => s.accountName },
            { header: 'Detail', cell: (s) => s.detail },
            { header: 'Started', cell: (s) => <When at={s.createdAt} /> },
            { header: 'Expires', cell: (s) => <When at={s.expiresAt} /> },
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
    </>
  );
}
