import type { Db } from '../../store/db';
import { deleteAccount, getAccount, insertAccount, insertMembership, setMembershipOrigin } from '../../store/accounts';
import { findUserByEmail, insertUser, updateUser } from '../../store/users';
import { getBot, insertBot, insertTeamMember } from '../../store/bots';
import { insertApiKey, type KeyKind } from '../../store/api-keys';
import { putGroupTeam, putScimConfig } from '../../store/scim';
import { putSetting } from '../../store/settings';
import { putOidc, putPassthrough } from '../../store/sso-config';
import { putSaml } from '../../store/sso-saml';
import { samlRowFromFile } from '../saml/file';
import { appendAudit } from '../../store/audit';
import { DeskError, conflict, invalidInput } from '@shared/errors';
import { normalizeEmail } from '@shared/domain';
import { Workspace, type HashedKey, type WorkspaceSettings } from '@shared/workspace';
import { THROTTLE_SETTING } from '../passthrough/service';
import { setRetentionDays } from '../audit/retention';
import { NETWORK_SETTING, checkNoProxy, checkProxyUrl, parseCaPem, splitNoProxy } from '../network/settings';
import { describeIssue } from '@shared/zod-path';
import { hashPassword, sha256 } from '../crypto/hash';
import type { SecretBox } from '../crypto/secret-box';
import { checkPassthroughFile } from '../passthrough/config';
import { parseClientKey } from '../oidc/client-key';
import { openSecrets } from './secrets';

export interface ImportOptions {
  replace?: boolean;
  now?: number;
  actor?: string;
  /**
   * Users with the same password share one salted hash (one scrypt run instead of one per user). Only for
   * the demo world, whose users share one published demo password by design: it halves a fresh start.
   * A customer's workspace file never sets it, so equal passwords there still get distinct hashes.
   */
  hashEqualPasswordsOnce?: boolean;
  /** Opens the file's encrypted `secrets`, when it has them. */
  passphrase?: string | undefined;
}

export interface ImportSummary {
  accounts: number;
  users: number;
  memberships: number;
  bots: number;
  replaced: boolean;
}

/** Parses and validates a workspace file's text; the error names the bad field's path. */
export function parseWorkspace(text: string): Workspace {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DeskError('invalid_json', `not valid JSON: ${(e as Error).message}`);
  }
  const parsed = Workspace.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.error);
    throw new DeskError('invalid_input', message, { field });
  }
  return parsed.data;
}

/**
 * Opens the file's `secrets` envelope with the passphrase and puts each secret where it belongs: an
 * account's OIDC client secret, a user's password hash. A file without secrets comes back as it is.
 * @throws DeskError `passphrase_required` | `passphrase_wrong` | `invalid_input` (a secret for an
 *   account or user that the file does not have).
 */
export async function resolveSecrets(ws: Workspace, passphrase: string | undefined): Promise<Workspace> {
  if (!ws.secrets) return ws;
  const payload = await openSecrets(ws.secrets.enc, passphrase);
  const out: Workspace = {
    ...ws,
    accounts: ws.accounts.map((a) => ({ ...a })),
    users: ws.users.map((u) => ({ ...u })),
  };
  delete out.secrets;
  for (const [id, s] of Object.entries(payload.accounts)) {
    const a = out.accounts.find((x) => x.id === id);
    if (s.oidc) {
      if (!a?.oidc)
        throw invalidInput(`secrets.accounts.${id}`, `no account "${id}" with an OIDC configuration in the file`);
      a.oidc = {
        ...a.oidc,
        ...(s.oidc.clientSecret !== undefined ? { clientSecret: s.oidc.clientSecret } : {}),
        ...(s.oidc.clientPrivateKey !== undefined ? { clientPrivateKey: s.oidc.clientPrivateKey } : {}),
      };
    }
    if (s.saml) {
      if (!a?.saml)
        throw invalidInput(`secrets.accounts.${id}`, `no account "${id}" with a SAML configuration in the file`);
      a.saml = { ...a.saml, spPrivateKey: s.saml.spPrivateKey };
    }
    if (s.scim) {
      if (!a?.scim)
        throw invalidInput(
          `secrets.accounts.${id}`,
          `no account "${id}" with a provisioning configuration in the file`,
        );
      a.scim = { ...a.scim, token: s.scim.token };
    }
  }
  for (const [email, s] of Object.entries(payload.users)) {
    const u = out.users.find((x) => normalizeEmail(x.email) === normalizeEmail(email));
    if (!u) throw invalidInput(`secrets.users.${email}`, `no user "${email}" in the file`);
    u.password = s.password;
  }
  return out;
}

/** Checks the references inside the file and against the database before anything is written. */
function checkReferences(db: Db, ws: Workspace, replace: boolean): void {
  const accountIds = new Set<string>();
  ws.accounts.forEach((a, i) => {
    if (accountIds.has(a.id)) throw invalidInput(`accounts[${i}].id`, `duplicate account "${a.id}"`);
    accountIds.add(a.id);
    if (a.passthrough) checkPassthroughFile(a.passthrough, `accounts[${i}].passthrough`);
    if (a.oidc?.clientPrivateKey) parseClientKey(a.oidc.clientPrivateKey, `accounts[${i}].oidc.clientPrivateKey`);
    if (a.saml) samlRowFromFile(a.id, a.saml, `accounts[${i}].saml`, Date.now());
    if (a.oidc?.enabled && a.saml?.enabled)
      throw invalidInput(
        `accounts[${i}].saml.enabled`,
        'an account uses OIDC or SAML, not both: switch one of them off in the file',
      );
    if (!replace && getAccount(db, a.id))
      throw conflict(
        `accounts[${i}].id: account "${a.id}" already exists; import again with replace to overwrite it`,
        `accounts[${i}].id`,
      );
  });
  const emails = new Set<string>();
  ws.users.forEach((u, i) => {
    const e = normalizeEmail(u.email);
    if (emails.has(e)) throw invalidInput(`users[${i}].email`, `duplicate user "${u.email}"`);
    emails.add(e);
    if (!replace && findUserByEmail(db, e))
      throw conflict(
        `users[${i}].email: user "${u.email}" already exists; import again with replace to overwrite it`,
        `users[${i}].email`,
      );
  });
  const knownUser = (email: string) => emails.has(normalizeEmail(email)) || findUserByEmail(db, email) !== undefined;
  const knownAccount = (id: string) => accountIds.has(id) || getAccount(db, id) !== undefined;
  const members = new Set<string>();
  ws.memberships.forEach((m, i) => {
    if (!knownAccount(m.account)) throw invalidInput(`memberships[${i}].account`, `unknown account "${m.account}"`);
    if (!knownUser(m.email)) throw invalidInput(`memberships[${i}].email`, `unknown user "${m.email}"`);
    const key = `${m.account}\n${normalizeEmail(m.email)}`;
    if (members.has(key)) throw invalidInput(`memberships[${i}]`, `"${m.email}" is already a member of "${m.account}"`);
    members.add(key);
  });
  const botIds = new Set<string>();
  const botAccount = new Map<string, string>();
  ws.bots.forEach((b, i) => {
    botAccount.set(b.id, b.account);
    if (botIds.has(b.id)) throw invalidInput(`bots[${i}].id`, `duplicate bot "${b.id}"`);
    botIds.add(b.id);
    const existing = getBot(db, b.id);
    if (existing && !(replace && accountIds.has(existing.accountId)))
      throw conflict(`bots[${i}].id: bot "${b.id}" already exists`, `bots[${i}].id`);
    if (!knownAccount(b.account)) throw invalidInput(`bots[${i}].account`, `unknown account "${b.account}"`);
    if (!knownUser(b.owner)) throw invalidInput(`bots[${i}].owner`, `unknown user "${b.owner}"`);
    const team = new Set<string>();
    b.team.forEach((t, j) => {
      if (!knownUser(t.email)) throw invalidInput(`bots[${i}].team[${j}].email`, `unknown user "${t.email}"`);
      if (team.has(normalizeEmail(t.email)))
        throw invalidInput(`bots[${i}].team[${j}].email`, `"${t.email}" is already on the team`);
      team.add(normalizeEmail(t.email));
    });
  });
  checkSettings(db, ws, botAccount);
}

/** The mappings name bots of their own account; the network settings are checked as Settings › Network checks them. */
function checkSettings(db: Db, ws: Workspace, botAccount: Map<string, string>): void {
  ws.accounts.forEach((a, i) => {
    const seen = new Set<string>();
    a.scim?.groupTeams?.forEach((m, j) => {
      const path = `accounts[${i}].scim.groupTeams[${j}]`;
      const owner = botAccount.get(m.bot) ?? getBot(db, m.bot)?.accountId;
      if (owner === undefined) throw invalidInput(`${path}.bot`, `unknown bot "${m.bot}"`);
      if (owner !== a.id)
        throw invalidInput(`${path}.bot`, `bot "${m.bot}" belongs to account "${owner}", not "${a.id}"`);
      const key = `${m.group.toLowerCase()}\n${m.bot}`;
      if (seen.has(key)) throw invalidInput(path, `group "${m.group}" is already mapped to bot "${m.bot}"`);
      seen.add(key);
    });
  });
  const net = ws.settings?.network;
  if (net) {
    const proxy = net.proxyUrl ? checkProxyUrl(net.proxyUrl) : null;
    if (proxy) throw invalidInput('settings.network.proxyUrl', proxy);
    const noProxy = checkNoProxy(net.noProxy);
    if (noProxy) throw invalidInput('settings.network.noProxy', noProxy);
    const cas = net.caPem ? parseCaPem(net.caPem) : null;
    if (cas && 'problem' in cas) throw invalidInput('settings.network.caPem', cas.problem);
  }
}

/** Writes the file's install-wide settings; those it does not have stay as they are. */
function applySettings(db: Db, s: WorkspaceSettings): void {
  if (s.loginProtection) putSetting(db, THROTTLE_SETTING, s.loginProtection);
  if (s.auditRetentionDays !== undefined) setRetentionDays(db, s.auditRetentionDays);
  if (s.network)
    putSetting(db, NETWORK_SETTING, {
      proxyUrl: s.network.proxyUrl,
      noProxy: splitNoProxy(s.network.noProxy).join(', '),
      caPem: s.network.caPem,
      updatedAt: null,
      updatedBy: 'workspace import',
    });
}

const last4 = (value: string): string => value.slice(-4);

/**
 * Loads a workspace in one transaction: all or nothing. Passwords are hashed with scrypt, API keys and
 * secrets with SHA-256, OIDC client secrets encrypted with the platform's SecretBox.
 * @throws DeskError `invalid_json` | `invalid_input` (with `field`) | `conflict` when an account, user or
 *   bot exists already and `replace` was not asked for. Nothing is written in any of these cases.
 */
export async function importWorkspace(
  db: Db,
  secrets: SecretBox,
  input: string | Workspace,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const ws = await resolveSecrets(typeof input === 'string' ? parseWorkspace(input) : input, opts.passphrase);
  const replace = opts.replace ?? false;
  const now = opts.now ?? Date.now();
  checkReferences(db, ws, replace);

  // The slow KDF runs before the transaction so that the database is never held while hashing.
  const once = new Map<string, Promise<string>>();
  const hash = (password: string): Promise<string> => {
    if (!opts.hashEqualPasswordsOnce) return hashPassword(password);
    let h = once.get(password);
    if (!h) once.set(password, (h = hashPassword(password)));
    return h;
  };
  // A password already hashed (an export) is kept as it is.
  const passwordHashes = await Promise.all(
    ws.users.map((u) =>
      typeof u.password === 'string' ? hash(u.password) : Promise.resolve(u.password?.hash ?? null),
    ),
  );

  db.transaction(() => {
    if (replace) for (const a of ws.accounts) deleteAccount(db, a.id);
    for (const a of ws.accounts) importAccount(db, secrets, a, now, opts.actor ?? 'workspace import');
    ws.users.forEach((u, i) => {
      const fields = {
        name: u.name,
        externalId: u.externalId ?? null,
        passwordHash: passwordHashes[i] ?? null,
        emailVerified: u.emailVerified,
      };
      const existing = findUserByEmail(db, u.email);
      if (existing) updateUser(db, existing.id, fields);
      else insertUser(db, { email: normalizeEmail(u.email), ...fields }, now);
    });
    const userId = (email: string): number => {
      const u = findUserByEmail(db, email);
      if (!u) throw new DeskError('internal', `user ${email} vanished during import`, { status: 500 });
      return u.id;
    };
    for (const m of ws.memberships) {
      const uid = userId(m.email);
      insertMembership(
        db,
        m.account,
        uid,
        m.role,
        m.status === 'deactivated' || m.statusBy
          ? {
              status: m.status ?? 'active',
              statusBy: m.statusBy ?? opts.actor ?? 'console',
              statusAt: m.statusAt ?? now,
            }
          : undefined,
      );
      if (m.source === 'scim' || m.provisionedBy)
        setMembershipOrigin(db, m.account, uid, {
          source: m.source ?? 'local',
          provisionedBy: m.provisionedBy ?? null,
          provisionedAt: m.provisionedAt ?? null,
        });
    }
    for (const b of ws.bots) {
      insertBot(db, { id: b.id, accountId: b.account, name: b.name, ownerUserId: userId(b.owner) }, now);
      for (const t of b.team) insertTeamMember(db, b.id, userId(t.email), t.level);
      if (b.apiKey) addKey(db, b.account, b.id, 'bot_key', b.apiKey, now);
      if (b.apiSecret) addKey(db, b.account, b.id, 'bot_secret', b.apiSecret, now);
    }
    for (const a of ws.accounts) if (a.scim) importScim(db, a.id, a.scim, now);
    if (ws.settings) applySettings(db, ws.settings);
    appendAudit(db, {
      at: now,
      kind: 'workspace.import',
      actor: opts.actor ?? 'console',
      outcome: 'ok',
      reason: `${ws.accounts.length} accounts, ${ws.users.length} users, ${ws.bots.length} bots${replace ? ' (replace)' : ''}`,
    });
  })();

  return {
    accounts: ws.accounts.length,
    users: ws.users.length,
    memberships: ws.memberships.length,
    bots: ws.bots.length,
    replaced: replace,
  };
}

type FileAccount = Workspace['accounts'][number];

/** One account and its OIDC, SAML and pass-through settings; secrets are encrypted with this install's box. */
function importAccount(db: Db, secrets: SecretBox, a: FileAccount, now: number, actor: string): void {
  insertAccount(
    db,
    { id: a.id, name: a.name, plan: a.plan, packages: [...new Set(a.packages)], embeddable: a.embeddable },
    now,
  );
  if (a.apiKey) addKey(db, a.id, null, 'account_key', a.apiKey, now);
  if (a.oidc) {
    const key = a.oidc.clientPrivateKey ? parseClientKey(a.oidc.clientPrivateKey, 'clientPrivateKey') : null;
    putOidc(db, {
      redirectPort: a.oidc.redirectPort,
      clientAuth: a.oidc.clientAuth,
      userClaim: a.oidc.userClaim,
      clientKeyEnc: key ? secrets.encrypt(key.privatePem) : null,
      clientJwks: key ? JSON.stringify(key.jwks) : null,
      accountId: a.id,
      enabled: a.oidc.enabled,
      preset: a.oidc.preset,
      presetParams: a.oidc.presetParams ?? {},
      issuer: a.oidc.issuer,
      clientId: a.oidc.clientId,
      clientSecretEnc: a.oidc.clientSecret ? secrets.encrypt(a.oidc.clientSecret) : null,
      scopes: a.oidc.scopes,
      redirectHost: '127.0.0.1',
      enabledAt: a.oidc.enabled ? now : null,
      enabledBy: a.oidc.enabled ? actor : null,
      updatedAt: now,
    });
  }
  if (a.saml) {
    const row = samlRowFromFile(a.id, a.saml, 'saml', now);
    putSaml(db, {
      ...row,
      spKeyEnc: a.saml.spPrivateKey ? secrets.encrypt(a.saml.spPrivateKey) : null,
      enabledAt: a.saml.enabled ? now : null,
      enabledBy: a.saml.enabled ? actor : null,
      updatedAt: now,
    });
  }
  if (a.passthrough) {
    const p = a.passthrough;
    putPassthrough(db, {
      accountId: a.id,
      enabled: p.enabled,
      url: p.url,
      method: p.method,
      dataAs: p.dataAs,
      authType: p.authType,
      headers: p.headers,
      secretHeaders: p.secretHeaders,
      body: p.body,
      forgotPasswordUrl: p.forgotPasswordUrl ?? null,
      timeoutMs: p.timeoutMs,
      updatedAt: now,
    });
  }
}

/** An account's provisioning switch, token (kept hashed) and group → team mappings. */
function importScim(db: Db, accountId: string, scim: NonNullable<FileAccount['scim']>, now: number): void {
  const token = scim.token;
  const hash = token === undefined ? null : typeof token === 'string' ? sha256(token) : token.hash;
  try {
    putScimConfig(db, {
      accountId,
      enabled: scim.enabled,
      tokenHash: hash,
      tokenLast4: token === undefined ? null : typeof token === 'string' ? last4(token) : token.last4,
      tokenCreatedAt: token ? now : null,
      updatedAt: now,
    });
  } catch (e) {
    if (String((e as Error).message).includes('UNIQUE'))
      throw conflict(
        `the provisioning token of account "${accountId}" is already in use elsewhere`,
        `accounts.${accountId}.scim.token`,
      );
    throw e;
  }
  for (const m of scim.groupTeams ?? [])
    putGroupTeam(db, { accountId, groupName: m.group, botId: m.bot, level: m.level, createdAt: now });
}

function addKey(
  db: Db,
  accountId: string,
  botId: string | null,
  kind: KeyKind,
  value: string | HashedKey,
  now: number,
): void {
  // A key already hashed (an export) is stored as it is: the value itself was never kept.
  const hash = typeof value === 'string' ? sha256(value) : value.hash;
  const tail = typeof value === 'string' ? last4(value) : value.last4;
  try {
    insertApiKey(db, { accountId, botId, kind, hash, last4: tail, createdAt: now });
  } catch (e) {
    if (String((e as Error).message).includes('UNIQUE'))
      throw conflict(
        `an API key of ${botId ? `bot "${botId}"` : `account "${accountId}"`} is already in use elsewhere`,
      );
    throw e;
  }
}
