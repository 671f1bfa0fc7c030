import type { EngineContext } from '../context';
import { getAccount, type AccountRow } from '../../store/accounts';
import { getBot, listBots } from '../../store/bots';
import {
  deleteGroupTeam,
  getScimConfig,
  listGroupTeams,
  listScimGroups,
  countGroupMembers,
  putGroupTeam,
  putScimConfig,
  provisionedCounts,
} from '../../store/scim';
import { DeskError, notFound } from '@shared/errors';
import type { ProvisioningView } from '@shared/contract/provisioning';
import type { TeamLevel } from '@shared/domain';
import { randomToken, sha256 } from '../crypto/hash';
import { lastAuditOf } from '../../store/audit';
import { syncTeams } from './teams';

/** Whether the plan and packages allow provisioning, in words. */
export function provisioningGate(a: AccountRow): { allowed: boolean; reason: string } {
  if (a.plan !== 'enterprise')
    return { allowed: false, reason: `Provisioning needs the Enterprise plan; ${a.name} is on ${a.plan}.` };
  if (!a.packages.includes('enterprise-toolkit'))
    return {
      allowed: false,
      reason: `Provisioning needs the Enterprise toolkit package, which ${a.name} does not have.`,
    };
  return {
    allowed: true,
    reason: `${a.name} has the Enterprise plan and the Enterprise toolkit: Okta and Entra ID may provision it.`,
  };
}

function account(ctx: EngineContext, id: string): AccountRow {
  const a = getAccount(ctx.store.db, id);
  if (!a) throw notFound(`no account "${id}"`);
  return a;
}

export function provisioningView(ctx: EngineContext, accountId: string): ProvisioningView {
  const { db } = ctx.store;
  const a = account(ctx, accountId);
  const cfg = getScimConfig(db, accountId);
  const bots = listBots(db, accountId);
  const counts = provisionedCounts(db, accountId);
  const groups = listScimGroups(db, accountId);
  return {
    account: a.id,
    accountName: a.name,
    gate: provisioningGate(a),
    enabled: cfg?.enabled ?? false,
    baseUrl: ctx.urls.api ? `${ctx.urls.api}/scim/v2` : null,
    token:
      cfg?.tokenHash && cfg.tokenLast4 && cfg.tokenCreatedAt !== null
        ? { last4: cfg.tokenLast4, createdAt: cfg.tokenCreatedAt }
        : null,
    stats: { users: counts.users, deactivated: counts.deactivated, groups: groups.length },
    lastRequest: lastScimRequest(ctx, accountId),
    groups: groups
      .slice(0, 500)
      .map((g) => ({ id: g.id, displayName: g.displayName, members: countGroupMembers(db, g.seq) })),
    bots: bots.map((b) => ({ id: b.id, name: b.name })),
    mappings: listGroupTeams(db, accountId).map((m) => ({
      groupName: m.groupName,
      bot: m.botId,
      botName: bots.find((b) => b.id === m.botId)?.name ?? m.botId,
      level: m.level,
    })),
  };
}

/** The account's last SCIM request as the audit log recorded it (`scim.request`, see server/routes/scim.ts). */
function lastScimRequest(ctx: EngineContext, accountId: string): ProvisioningView['lastRequest'] {
  const e = lastAuditOf(ctx.store.db, accountId, 'scim.request');
  if (!e) return null;
  const d = (e.detail ?? {}) as { method?: unknown; path?: unknown; status?: unknown };
  const outcome = e.outcome === 'ok' || e.outcome === 'refused' ? e.outcome : 'failed';
  const reason = e.reason ?? '';
  const colon = reason.indexOf(': ');
  return {
    at: e.at,
    method: typeof d.method === 'string' ? d.method : '',
    path: typeof d.path === 'string' ? d.path : '',
    status: typeof d.status === 'number' ? d.status : 0,
    outcome,
    idp: e.actor ?? 'unknown client',
    summary: colon >= 0 ? reason.slice(colon + 2) : '',
  };
}

const audit = (ctx: EngineContext, accountId: string, reason: string, detail: Record<string, unknown> = {}) =>
  ctx.audit({ kind: 'settings.change', accountId, actor: 'console', method: 'scim', outcome: 'ok', reason, detail });

/** @throws DeskError `plan_required` when turning on an account the plan or packages do not allow. */
export function setProvisioningEnabled(ctx: EngineContext, accountId: string, enabled: boolean): ProvisioningView {
  const a = account(ctx, accountId);
  const gate = provisioningGate(a);
  if (enabled && !gate.allowed) throw new DeskError('plan_required', gate.reason, { status: 403, field: 'enabled' });
  const now = ctx.clock.now();
  const cfg = getScimConfig(ctx.store.db, accountId);
  ctx.store.db.transaction(() => {
    putScimConfig(ctx.store.db, {
      accountId,
      enabled,
      tokenHash: cfg?.tokenHash ?? null,
      tokenLast4: cfg?.tokenLast4 ?? null,
      tokenCreatedAt: cfg?.tokenCreatedAt ?? null,
      updatedAt: now,
    });
    audit(ctx, accountId, `provisioning ${enabled ? 'on' : 'off'} for ${a.name}`);
  })();
  return provisioningView(ctx, accountId);
}

/** A new bearer token (256 bits), stored as its SHA-256; the old one stops working at once. */
export function rotateProvisioningToken(
  ctx: EngineContext,
  accountId: string,
): { token: string; last4: string; createdAt: number; replaced: boolean } {
  const a = account(ctx, accountId);
  const now = ctx.clock.now();
  const cfg = getScimConfig(ctx.store.db, accountId);
  const token = `scim_${randomToken(32)}`;
  const last4 = token.slice(-4);
  ctx.store.db.transaction(() => {
    putScimConfig(ctx.store.db, {
      accountId,
      enabled: cfg?.enabled ?? false,
      tokenHash: sha256(token),
      tokenLast4: last4,
      tokenCreatedAt: now,
      updatedAt: now,
    });
    audit(ctx, accountId, `provisioning token ${cfg?.tokenHash ? 'rotated' : 'created'} for ${a.name} (…${last4})`);
  })();
  return { token, last4, createdAt: now, replaced: Boolean(cfg?.tokenHash) };
}

export function revokeProvisioningToken(ctx: EngineContext, accountId: string): ProvisioningView {
  const a = account(ctx, accountId);
  const cfg = getScimConfig(ctx.store.db, accountId);
  if (cfg?.tokenHash) {
    ctx.store.db.transaction(() => {
      putScimConfig(ctx.store.db, {
        ...cfg,
        tokenHash: null,
        tokenLast4: null,
        tokenCreatedAt: null,
        updatedAt: ctx.clock.now(),
      });
      audit(ctx, accountId, `provisioning token revoked for ${a.name} (…${cfg.tokenLast4 ?? ''})`);
    })();
  }
  return provisioningView(ctx, accountId);
}

export function mapGroup(
  ctx: EngineContext,
  accountId: string,
  groupName: string,
  botId: string,
  level: TeamLevel,
): ProvisioningView {
  account(ctx, accountId);
  const bot = getBot(ctx.store.db, botId);
  if (!bot || bot.accountId !== accountId)
    throw new DeskError('invalid_input', `bot: "${botId}" is not a bot of this account`, { field: 'bot' });
  ctx.store.db.transaction(() => {
    putGroupTeam(ctx.store.db, { accountId, groupName: groupName.trim(), botId, level, createdAt: ctx.clock.now() });
    const r = syncTeams(ctx.store.db, accountId, { actor: 'console', method: 'scim', now: ctx.clock.now() });
    audit(ctx, accountId, `group "${groupName}" → ${bot.name} as ${level} (${r.added} added, ${r.changed} changed)`);
  })();
  return provisioningView(ctx, accountId);
}

export function unmapGroup(ctx: EngineContext, accountId: string, groupName: string, botId: string): ProvisioningView {
  account(ctx, accountId);
  ctx.store.db.transaction(() => {
    if (!deleteGroupTeam(ctx.store.db, accountId, groupName.trim(), botId))
      throw notFound(`no mapping of "${groupName}" to ${botId}`);
    const r = syncTeams(ctx.store.db, accountId, { actor: 'console', method: 'scim', now: ctx.clock.now() });
    audit(ctx, accountId, `group "${groupName}" no longer maps to ${botId} (${r.removed} removed)`);
  })();
  return provisioningView(ctx, accountId);
}
