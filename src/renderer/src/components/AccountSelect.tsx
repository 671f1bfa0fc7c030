import type { AccountSummary } from '@shared/contract/workspace';

/** The account picker of account-scoped screens; `any` adds a first "no particular account" choice. */
export function AccountSelect(props: {
  accounts: readonly Pick<AccountSummary, 'id' | 'name' | 'plan'>[];
  value: string;
  onChange: (id: string) => void;
  any?: string;
  showPlan?: boolean;
}) {
  return (
    <label>
      Account
      <select
        aria-label="Account"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        style={{ display: 'block' }}
      >
        {props.any !== undefined && <option value="">{props.any}</option>}
        {props.accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
            {props.showPlan ? ` (${a.plan})` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
