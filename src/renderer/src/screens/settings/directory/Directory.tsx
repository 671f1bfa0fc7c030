import * as Tabs from '@radix-ui/react-tabs';
import { AccountsTab } from './AccountsTab';
import { UsersTab } from './UsersTab';
import { BotsTab } from './BotsTab';
import './directory.css';

/** Settings › Directory: accounts (with members), users (with the user page), bots (with teams). */
export function DirectorySettings() {
  return (
    <section aria-labelledby="directory-title" className="panel wide">
      <h1 id="directory-title">Directory</h1>
      <Tabs.Root defaultValue="accounts" className="dir-tabs">
        <Tabs.List aria-label="Directory">
          <Tabs.Trigger value="accounts">Accounts</Tabs.Trigger>
          <Tabs.Trigger value="users">Users</Tabs.Trigger>
          <Tabs.Trigger value="bots">Bots and teams</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="accounts">
          <AccountsTab />
        </Tabs.Content>
        <Tabs.Content value="users">
          <UsersTab />
        </Tabs.Content>
        <Tabs.Content value="bots">
          <BotsTab />
        </Tabs.Content>
      </Tabs.Root>
    </section>
  );
}
