import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../store/db';
import { listAccounts, listMembers } from '../../store/accounts';
import { listUsers } from '../../store/users';
import { listBots, listTeam } from '../../store/bots';
import { listKeys, type KeyKind } from '../../store/api-keys';
import { getOidc, getPassthrough } from '../../store/sso-config';
import { getSaml } from '../../store/sso-saml';
import { appendAudit } from '../../store/audit';
import { getScimConfig, listGroupTeams } from '../../store/scim';
import { getSetting } from '../../store/settings';
import { THROTTLE_SETTING } from '../passthrough/service';
import { DEFAULT_THROTTLE } from '../passthrough/throttle';
import { getRetention } from '../audit/retention';
import { loadNetworkSettings } from '../network/settings';
import { WORKSPACE_FORMAT, type HashedKey, type Workspace, type WorkspaceSettings } from '@shared/workspace';
import { randomToken } from '../crypto/hash';
import type { SecretBox } from '../crypto/secret-box';
import { sealSecrets, type SecretsPayload } from './secrets';

export interface ExportOptions {
  /** With a passphrase the secrets go into the file, encrypted; without, they are left out. */
  passphrase?: string | undefined;
  now: number;
  version: string;
  actor?: string;
}

/** What an export without secrets leaves out, in words for the file's `exported.leftOut` and the console. */
export const LEFT_OUT_WITHOUT_SECRETS = {
  passwords: 'users[].password: local password hashes (each user sets a new password after import)',
  clientSecrets:
    'accounts[].oidc.clientSecret and clientPrivateKey: OIDC client secrets and private_key_jwt ' +
    'keys (enter or generate them again in Security › SSO)',
  samlKeys:
    'accounts[].saml.spPrivateKey: SAML SP private keys (generate a new SP key in Security › SSO and give the IdP its certificate)',
  scimTokens:
    'accounts[].scim.token: provisioning tokens (create a new token in Settings › Provisioning and give it to the IdP)',
} as const;
/** Never in an export: state of this install rather than setup, each in words (at most 200 characters each). */
export const NEVER_EXPORTED = [
  'sessions, SSO deep-link tokens, password-reset links and mail waiting in the outbox',
  'revoked and replaced API keys, and this install’s demo credentials',
  'audit events and sign-in logs (Audit › Export CSV keeps them)',
  'users and groups as the IdP sent them over SCIM (the IdP sends them again at its next sync); memberships stay',
  'Test connection and test sign-in results, the last working SSO settings and staged enforcement',
  'login lockouts and counted failures',
] as const;

const hashed = (db: Db, accountId: string, botId: string | null, kind: KeyKind): HashedKey | undefined => {
  const k = listKeys(db, accountId).find((x) => x.botId === botId && x.kind === kind && x.revokedAt === null);
  return k ? { format: 'sha256-hex', hash: k.hash, last4: k.last4 } : undefined;
};

/** What one export gathers as it goes: the secrets to seal and the kinds of thing left out of the file. */
interface Gathering {
  db: Db;
  box: SecretBox;
  withSecrets: boolean;
  payload: SecretsPayload;
  leftOut: Set<string>;
}

/** One account with its OIDC, SAML, pass-through and SCIM settings; its secrets go to the envelope or are left out. */
function exportAccount(g: Gathering, a: ReturnType<typeof listAccounts>[number]): Workspace['accounts'][number] {
  const { db, box, withSecrets, payload, leftOut } = g;
  const out: Workspace['accounts'][number] = {
    id: a.id,
    name: a.name,
    plan: a.plan,
    packages: a.packages,
    embeddable: a.embeddable,
  };
  const key = hashed(db, a.id, null, 'account_key');
  if (key) out.apiKey = key;
  const o = getOidc(db, a.id);
  if (o) {
    const oidc: NonNullable<typeof out.oidc> = {
      enabled: o.enabled,
      preset: o.preset as NonNullable<typeof out.oidc>['preset'],
      issuer: o.issuer,
      clientId: o.clientId,
      scopes: o.scopes,
      redirectPort: o.redirectPort,
      clientAuth: o.clientAuth,
      userClaim: o.userClaim,
    };
    out.oidc = oidc;
    if (Object.keys(o.presetParams).length > 0) oidc.presetParams = o.presetParams;
    if (o.clientSecretEnc || o.clientKeyEnc) {
      if (withSecrets) {
        payload.accounts[a.id] = {
          oidc: {
            ...(o.clientSecretEnc ? { clientSecret: box.decrypt(o.clientSecretEnc) } : {}),
            ...(o.clientKeyEnc ? { clientPrivateKey: box.decrypt(o.clientKeyEnc) } : {}),
          },
        };
      } else leftOut.add(LEFT_OUT_WITHOUT_SECRETS.clientSecrets);
    }
  }
  const s = getSaml(db, a.id);
  if (s) {
    out.saml = {
      enabled: s.enabled,
      preset: s.preset as NonNullable<typeof out.saml>['preset'],
      ...(s.idpMetadataXml
        ? { idpMetadataXml: s.idpMetadataXml }
        : { idp: { entityId: s.idpEntityId, ssoUrl: s.idpSsoUrl, certificates: s.idpCerts } }),
      acsPort: s.acsPort,
      nameIdFormat: s.nameIdFormat,
      userAttribute: s.userAttribute,
      allowIdpInitiated: s.allowIdpInitiated,
      clockSkewSeconds: s.clockSkewSeconds,
      allowSha1: s.allowSha1,
      ...(s.spCert ? { spCertificate: s.spCert } : {}),
    };
    if (s.spKeyEnc) {
      if (withSecrets)
        payload.accounts[a.id] = { ...payload.accounts[a.id], saml: { spPrivateKey: box.decrypt(s.spKeyEnc) } };
      else leftOut.add(LEFT_OUT_WITHOUT_SECRETS.samlKeys);
    }
  }
  const p = getPassthrough(db, a.id);
  if (p) {
    out.passthrough = {
      enabled: p.enabled,
      url: p.url,
      method: p.method,
      dataAs: p.dataAs,
      authType: p.authType,
      headers: p.headers,
      secretHeaders: p.secretHeaders ?? [],
      body: p.body,
      timeoutMs: p.timeoutMs,
      ...(p.forgotPasswordUrl ? { forgotPasswordUrl: p.forgotPasswordUrl } : {}),
    };
  }
  const scim = getScimConfig(db, a.id);
  const groupTeams = listGroupTeams(db, a.id).map((m) => ({ group: m.groupName, bot: m.botId, level: m.level }));
  if (scim || groupTeams.length > 0) {
    out.scim = { enabled: scim?.enabled ?? false, ...(groupTeams.length > 0 ? { groupTeams } : {}) };
    if (scim?.tokenHash) {
      if (withSecrets) {
        const token: HashedKey = { format: 'sha256-hex', hash: scim.tokenHash, last4: scim.tokenLast4 ?? '' };
        payload.accounts[a.id] = { ...payload.accounts[a.id], scim: { token } };
      } else leftOut.add(LEFT_OUT_WITHOUT_SECRETS.scimTokens);
    }
  }
  return out;
}

/**
 * The whole setup as a workspace file (`sso-desk/workspace@1`): accounts with their OIDC and
 * pass-through configurations, users, memberships with their status, bots with teams. API keys are
 * written as their SHA-256 (`{format: 'sha256-hex'}`): the values were never kept, and import accepts
 * the hashed form. Client secrets and password hashes are left out unless a passphrase is given; then
 * they travel in `secrets.enc`, client secrets decrypted from this install's SecretBox and encrypted
 * again under the passphrase.
 */
export async function exportWorkspace(db: Db, box: SecretBox, opts: ExportOptions): Promise<Workspace> {
  const withSecrets = opts.passphrase !== undefined;
  const payload: SecretsPayload = { accounts: {}, users: {} };
  const leftOut = new Set<string>();
  const accounts = listAccounts(db);
  const g: Gathering = { db, box, withSecrets, payload, leftOut };
  const ws: Workspace = {
    format: WORKSPACE_FORMAT,
    accounts: accounts.map((a) => exportAccount(g, a)),
    users: listUsers(db).map((u) => {
      if (u.passwordHash) {
        if (withSecrets) payload.users[u.email] = { password: { format: 'scrypt', hash: u.passwordHash } };
        else leftOut.add(LEFT_OUT_WITHOUT_SECRETS.passwords);
      }
      return {
        email: u.email,
        name: u.name,
        emailVerified: u.emailVerified,
        ...(u.externalId !== null ? { externalId: u.externalId } : {}),
      };
    }),
    memberships: accounts.flatMap((a) =>
      listMembers(db, a.id).map((m) => ({
        account: a.id,
        email: m.email,
        role: m.role,
        ...(m.status !== 'active' || m.statusBy ? { status: m.status } : {}),
        ...(m.statusAt !== null ? { statusAt: m.statusAt } : {}),
        ...(m.statusBy ? { statusBy: m.statusBy } : {}),
        ...(m.source !== 'local' ? { source: m.source } : {}),
        ...(m.provisionedBy ? { provisionedBy: m.provisionedBy } : {}),
        ...(m.provisionedAt !== null ? { provisionedAt: m.provisionedAt } : {}),
      })),
    ),
    bots: accounts.flatMap((a) =>
      listBots(db, a.id).map((b) => {
        const key = hashed(db, a.id, b.id, 'bot_key');
        const secret = hashed(db, a.id, b.id, 'bot_secret');
        return {
          id: b.id,
          account: a.id,
          name: b.name,
          owner: b.ownerEmail,
          ...(key ? { apiKey: key } : {}),
          ...(secret ? { apiSecret: secret } : {}),
          team: listTeam(db, b.id).map((t) => ({ email: t.email, level: t.level })),
        };
      }),
    ),
  };
  ws.settings = exportSettings(db);
  // With "include secrets" the file always has its envelope (empty or not): the kind of file is the one asked for.
  if (withSecrets) ws.secrets = { enc: await sealSecrets(payload, opts.passphrase ?? '') };
  ws.exported = {
    at: new Date(opts.now).toISOString(),
    by: `SSO Desk ${opts.version}`,
    leftOut: [...leftOut, ...NEVER_EXPORTED],
  };
  appendAudit(db, {
    at: opts.now,
    kind: 'workspace.export',
    actor: opts.actor ?? 'console',
    outcome: 'ok',
    reason:
      `${ws.accounts.length} accounts, ${ws.users.length} users, ${ws.bots.length} bots; ` +
      `secrets ${withSecrets ? 'included, encrypted with a passphrase' : 'left out'}`,
  });
  return ws;
}

/** Install-wide settings: login protection's numbers in force, audit retention, the network settings. */
function exportSettings(db: Db): WorkspaceSettings {
  const stored = getSetting<Record<string, unknown>>(db, THROTTLE_SETTING, {});
  const numbers = { ...DEFAULT_THROTTLE };
  for (const k of Object.keys(numbers) as Array<keyof typeof numbers>) {
    const v = stored[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) numbers[k] = v;
  }
  const net = loadNetworkSettings(db);
  return {
    loginProtection: numbers,
    auditRetentionDays: getRetention(db).days,
    network: { proxyUrl: net.proxyUrl, noProxy: net.noProxy, caPem: net.caPem },
  };
}

/** The file name an export is offered under: it says whether the file carries secrets. */
export const exportFileName = (now: number, withSecrets: boolean): string =>
  `sso-desk-workspace-${new Date(now).toISOString().slice(0, 10)}${withSecrets ? '-with-secrets' : ''}.json`;

/** The file's text: stable key order (as built above), two-space indentation, a final newline. */
export const workspaceText = (ws: Workspace): string => `${JSON.stringify(ws, null, 2)}\n`;

/** Writes an export to a new 0600 file under `<dataDir>/exports` for the platform to deliver. */
export function writeExportFile(dataDir: string, ws: Workspace): string {
  const dir = join(dataDir, 'exports');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `workspace-${randomToken(9)}.json`);
  writeFileSync(path, workspaceText(ws), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
