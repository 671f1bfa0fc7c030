import type { UserDeepLink } from '@shared/contract/directory';
import { api } from '@renderer/api';
import { when } from './ui';
import { DataTable } from './parts/DataTable';
import type { UserSectionProps } from './user-section';

/** Unexpired deep links (Platform SSO tokens) of the user, each with Revoke: it stops opening at once. */
export function UserDeepLinks({ email, shown, links, say }: UserSectionProps & { links: UserDeepLink[] }) {
  const revoke = async (t: UserDeepLink) => {
    const r = await api.directory.user.revokeDeepLink({ email, id: t.id });
    await say(r, `Revoked the deep link${t.botName ? ` into ${t.botName}` : ''}: it no longer opens.`);
  };
  return (
    <section aria-labelledby="deep-links-title">
      <h3 id="deep-links-title">Deep links</h3>
      {links.length === 0 ? (
        <p>No unexpired deep links of {shown}.</p>
      ) : (
        <DataTable
          label={`Deep links of ${shown}`}
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
                  onClick={() => void revoke(t)}
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
