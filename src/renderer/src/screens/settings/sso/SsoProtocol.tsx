import { Tabs } from '@renderer/components/ui/Tabs';
import { SsoSettings } from '../SsoSettings';
import { SamlSettings } from './SamlSettings';

/** Security › SSO: the protocol of an account's SSO, OpenID Connect or SAML 2.0, each with its own form. */
export function SsoProtocol() {
  return (
    <Tabs
      label="SSO protocol"
      items={[
        { id: 'oidc', label: 'OpenID Connect', render: () => <SsoSettings /> },
        { id: 'saml', label: 'SAML 2.0', render: () => <SamlSettings /> },
      ]}
    />
  );
}
