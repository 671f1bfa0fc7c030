import { Sections, type Section } from '../components/Sections';
import { GeneralSettings } from './settings/General';
import { AccountsSettings } from './settings/Accounts';
import { ExternalAuthSettings } from './settings/ExternalAuth';
import { SsoProtocol } from './settings/sso/SsoProtocol';
import { PlatformSsoSettingsPanel } from './settings/PlatformSso';
import { LoginProtectionSettings } from './settings/LoginProtection';
import { DirectorySettings } from './settings/directory/Directory';
import { ProvisioningSettings } from './settings/Provisioning';
import { NetworkSettings } from './settings/NetworkSettings';

/** Settings sections. Each feature adds one entry here and one file under settings/. */
const SECTIONS: Section[] = [
  { id: 'general', label: 'General', render: () => <GeneralSettings /> },
  { id: 'accounts', label: 'Accounts', render: () => <AccountsSettings /> },
  { id: 'external-auth', label: 'External user authentication', render: () => <ExternalAuthSettings /> },
  { id: 'sso', label: 'Security › SSO', render: () => <SsoProtocol /> },
  { id: 'platform-sso', label: 'Platform SSO', render: () => <PlatformSsoSettingsPanel /> },
  { id: 'login-protection', label: 'Login protection', render: () => <LoginProtectionSettings /> },
  { id: 'directory', label: 'Directory', render: () => <DirectorySettings /> },
  { id: 'provisioning', label: 'Provisioning', render: () => <ProvisioningSettings /> },
  { id: 'network', label: 'Network', render: () => <NetworkSettings /> },
];

export const SettingsScreen = () => <Sections label="Settings" sections={SECTIONS} />;
