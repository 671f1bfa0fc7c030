import type { UserPage as UserPageData } from '@shared/contract/directory';
import { When } from '@renderer/components/When';
import { DataTable } from './parts/DataTable';

/** Where the user sits on bot teams, and the audit log's recent events that name them. */
export function UserActivity({ page }: { page: UserPageData }) {
  return (
    <>
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
            { header: 'Time', cell: (e) => <When at={e.at} /> },
            { header: 'Event', cell: (e) => e.kind },
            { header: 'Actor', cell: (e) => e.actor ?? '' },
            { header: 'Outcome', cell: (e) => e.outcome },
            { header: 'Reason', cell: (e) => e.reason ?? '' },
          ]}
        />
      )}
    </>
  );
}
