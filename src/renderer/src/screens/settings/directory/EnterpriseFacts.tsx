import { Fragment } from 'react';
import type { UserPage as UserPageData } from '@shared/contract/directory';

type Enterprise = NonNullable<UserPageData['accounts'][number]['enterprise']>;

/** What the IdP sent in SCIM's enterprise extension (RFC 7643 §4.3), only the attributes it sent. */
export function EnterpriseFacts({ accountName, e }: { accountName: string; e: Enterprise }) {
  const rows: Array<[string, string | null]> = [
    ['Manager', e.managerUserName ?? (e.managerId ? `not provisioned here (id ${e.managerId})` : null)],
    ['Department', e.department],
    ['Employee number', e.employeeNumber],
    ['Cost center', e.costCenter],
    ['Organization', e.organization],
    ['Division', e.division],
  ];
  return (
    <dl className="facts" aria-label={`From the IdP for ${accountName}`}>
      {rows
        .filter((r): r is [string, string] => r[1] !== null)
        .map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </Fragment>
        ))}
    </dl>
  );
}
