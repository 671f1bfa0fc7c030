import type { Db } from '../../store/db';
import { listMembers, type MemberRow } from '../../store/accounts';
import { getStage, setStage, usersInScimGroup, type SsoStage } from '../../store/sso-stage';
import { appendAudit } from '../../store/audit';
import { describeStage } from '@shared/sso-stage';

/*
 * Staged enforcement (what Okta and Entra admins do): SSO is required for a chosen set of members first
 * — by role, or by a group the IdP provisions — and then for everyone. Members outside the stage keep
 * their password (and may use SSO already) until the stage is widened.
 */

export type { SsoStage };
export { describeStage };

/** Whether the stage requires SSO of this member (no stage: everyone). */
export function requiredBy(
  stage: SsoStage | null,
  m: { role: MemberRow['role']; userId: number },
  group: Set<number>,
): boolean {
  if (!stage) return true;
  return stage.roles.includes(m.role) || (stage.group !== null && group.has(m.userId));
}

export function stageOf(db: Db, accountId: string): { stage: SsoStage | null; group: Set<number> } {
  const stage = getStage(db, accountId);
  return { stage, group: stage?.group ? usersInScimGroup(db, accountId, stage.group) : new Set() };
}

/**
 * Who moves to SSO with this stage and who keeps a password (and why): what the switch-on dialog
 * shows. Active members only; owners keep theirs while the owner break-glass is on.
 */
export function stagePreview(
  db: Db,
  accountId: string,
  stage: SsoStage | null,
  keepOwners: boolean,
): { moving: string[]; keeping: Array<{ email: string; why: string }> } {
  const group = stage?.group ? usersInScimGroup(db, accountId, stage.group) : new Set<number>();
  const moving: string[] = [];
  const keeping: Array<{ email: string; why: string }> = [];
  for (const m of listMembers(db, accountId)) {
    if (m.status !== 'active') continue;
    if (keepOwners && m.role === 'owner') keeping.push({ email: m.email, why: 'owner break-glass' });
    else if (!requiredBy(stage, m, group))
      keeping.push({ email: m.email, why: `not in the first stage (${describeStage(stage)})` });
    else moving.push(m.email);
  }
  return { moving, keeping };
}

/** Sets whom SSO is required for, audited as old → new. No-op when unchanged. */
export function applyStage(
  db: Db,
  account: { id: string; name: string },
  stage: SsoStage | null,
  actor: string,
  now: number,
): void {
  const before = getStage(db, account.id);
  if (JSON.stringify(before) === JSON.stringify(stage)) return;
  db.transaction(() => {
    setStage(db, account.id, stage);
    appendAudit(db, {
      at: now,
      kind: 'sso.oidc.stage',
      accountId: account.id,
      actor,
      method: 'sso',
      outcome: 'ok',
      reason: `SSO is required for ${describeStage(stage)} of ${account.name}${stage ? '; the others keep their password for now' : ''}`,
      detail: { changes: [{ field: 'stage', old: describeStage(before), new: describeStage(stage) }] },
    });
  })();
}
