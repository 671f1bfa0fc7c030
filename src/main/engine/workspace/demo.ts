import type { Db } from '../../store/db';
import { listAccounts } from '../../store/accounts';
import { insertDemoCredential } from '../../store/demo-credentials';
import { WORKSPACE_FORMAT, type Workspace } from '@shared/workspace';
import { randomToken } from '../crypto/hash';
import type { SecretBox } from '../crypto/secret-box';
import { importWorkspace } from './import';
import { DEFAULT_ACS_PORT, DEFAULT_CLOCK_SKEW_SECONDS, NAMEID_FORMATS } from '@shared/saml-config';

export const DEMO_ACCOUNTS = { enterprise: 'acme', pro: 'globex' } as const;

/** Hooks that later features use to point the demo world at the embedded IdP and pass-through service. */
export interface DemoEndpoints {
  idpIssuer?: string | undefined;
  passthroughUrl?: string | undefined;
  /** The embedded SAML IdP: Acme gets SAML settings pointing at it (saved, switched off; OIDC stays Acme's SSO). */
  samlIdp?: { entityId: string; ssoUrl: string; certificate: string } | undefined;
}

/**
 * The offline demo world: two accounts (Acme on Enterprise, Globex on Pro), six users (Dana in both),
 * two bots with teams. Keys and the demo password are generated here, per install, never in source.
 */
export function demoWorkspace(): { workspace: Workspace; password: string } {
  const password = `demo-${randomToken(6)}`;
  const key = (prefix: string) => `${prefix}_${randomToken(24)}`;
  const user = (email: string, name: string, externalId: string) => ({
    email,
    name,
    externalId,
    password,
    emailVerified: true,
  });
  const workspace: Workspace = {
    format: WORKSPACE_FORMAT,
    accounts: [
      {
        id: 'acme',
        name: 'Acme Corp',
        plan: 'enterprise',
        packages: ['sso-login', 'enterprise-toolkit'],
        embeddable: false,
        apiKey: key('acc'),
      },
      { id: 'globex', name: 'Globex Inc', plan: 'pro', packages: ['sso-login'], embeddable: true, apiKey: key('acc') },
    ],
    users: [
      user('ann@acme.test', 'Ann Lee', 'E-1001'),
      user('bob@acme.test', 'Bob Stone', 'E-1002'),
      user('carol@acme.test', 'Carol Diaz', 'E-1003'),
      user('dana@example.test', 'Dana Kim', 'E-2001'),
      user('erin@globex.test', 'Erin Park', 'G-3001'),
      user('frank@globex.test', 'Frank Otto', 'G-3002'),
    ],
    memberships: [
      { account: 'acme', email: 'ann@acme.test', role: 'owner' },
      { account: 'acme', email: 'bob@acme.test', role: 'admin' },
      { account: 'acme', email: 'carol@acme.test', role: 'member' },
      { account: 'acme', email: 'dana@example.test', role: 'member' },
      { account: 'globex', email: 'erin@globex.test', role: 'owner' },
      { account: 'globex', email: 'frank@globex.test', role: 'member' },
      { account: 'globex', email: 'dana@example.test', role: 'admin' },
    ],
    bots: [
      {
        id: 'helpdesk',
        account: 'acme',
        name: 'Helpdesk',
        owner: 'ann@acme.test',
        apiKey: key('bot'),
        apiSecret: key('sec'),
        team: [
          { email: 'bob@acme.test', level: 'admin' },
          { email: 'carol@acme.test', level: 'operator' },
          { email: 'dana@example.test', level: 'viewer' },
        ],
      },
      {
        id: 'sales-bot',
        account: 'globex',
        name: 'Sales Bot',
        owner: 'erin@globex.test',
        apiKey: key('bot'),
        apiSecret: key('sec'),
        team: [
          { email: 'frank@globex.test', level: 'editor' },
          { email: 'dana@example.test', level: 'operator' },
        ],
      },
    ],
  };
  return { workspace, password };
}

/** Seeds the demo world into an empty database and keeps its credentials, encrypted, for the console. */
export async function seedDemoIfEmpty(db: Db, secrets: SecretBox, endpoints: DemoEndpoints = {}): Promise<boolean> {
  if (listAccounts(db).length > 0) return false;
  const { workspace, password } = demoWorkspace();
  applyEndpoints(workspace, endpoints);
  await importWorkspace(db, secrets, workspace, { actor: 'demo seed', hashEqualPasswordsOnce: true });
  db.transaction(() => {
    insertDemoCredential(db, {
      label: 'Password of every demo user',
      accountId: 'acme',
      botId: null,
      kind: 'password',
      valueEnc: secrets.encrypt(password),
    });
    for (const a of workspace.accounts) {
      if (typeof a.apiKey === 'string')
        insertDemoCredential(db, {
          label: `${a.name} AccountAPIKey`,
          accountId: a.id,
          botId: null,
          kind: 'AccountAPIKey',
          valueEnc: secrets.encrypt(a.apiKey),
        });
    }
    for (const b of workspace.bots) {
      if (typeof b.apiKey === 'string')
        insertDemoCredential(db, {
          label: `${b.name} BotAPIKey`,
          accountId: b.account,
          botId: b.id,
          kind: 'BotAPIKey',
          valueEnc: secrets.encrypt(b.apiKey),
        });
      if (typeof b.apiSecret === 'string')
        insertDemoCredential(db, {
          label: `${b.name} BotAPISecret`,
          accountId: b.account,
          botId: b.id,
          kind: 'BotAPISecret',
          valueEnc: secrets.encrypt(b.apiSecret),
        });
    }
  })();
  return true;
}

/** Points the demo accounts at the embedded services, when they run. */
function applyEndpoints(ws: Workspace, endpoints: DemoEndpoints): void {
  const acme = ws.accounts.find((a) => a.id === DEMO_ACCOUNTS.enterprise);
  const globex = ws.accounts.find((a) => a.id === DEMO_ACCOUNTS.pro);
  if (acme && endpoints.idpIssuer) {
    acme.oidc = {
      enabled: true,
      preset: 'generic',
      issuer: endpoints.idpIssuer,
      clientId: 'sso-desk-demo',
      scopes: ['openid', 'email', 'profile'],
      redirectPort: null,
      clientAuth: 'auto',
      userClaim: 'email',
    };
  }
  if (acme && endpoints.samlIdp) {
    // Off, since an account has OIDC or SAML on, not both: "Test sign-in" in Security › SSO shows a
    // SAML sign-in with no network; switching SAML on (OIDC off) makes it Acme's SSO.
    acme.saml = {
      enabled: false,
      preset: 'generic',
      idp: {
        entityId: endpoints.samlIdp.entityId,
        ssoUrl: endpoints.samlIdp.ssoUrl,
        certificates: [endpoints.samlIdp.certificate],
      },
      acsPort: DEFAULT_ACS_PORT,
      nameIdFormat: NAMEID_FORMATS.email,
      userAttribute: 'nameid',
      allowIdpInitiated: false,
      clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
      allowSha1: false,
    };
  }
  if (globex && endpoints.passthroughUrl) {
    globex.passthrough = {
      enabled: true,
      url: endpoints.passthroughUrl,
      method: 'POST',
      dataAs: 'json',
      authType: 'none',
      headers: {},
      secretHeaders: [],
      body: '',
      timeoutMs: 5000,
    };
  }
}
