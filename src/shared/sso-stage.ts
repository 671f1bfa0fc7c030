import type { Role } from './domain';

/*
 * Staged enforcement in words, the same in the engine (policy reasons, audit) and on the screen.
 */

const ROLE_PLURAL: Record<Role, string> = { owner: 'owners', admin: 'admins', member: 'members' };

/** "admins and the group Engineering" — whom a stage requires SSO for (null: everyone). */
export function describeStage(stage: { roles: readonly Role[]; group: string | null } | null): string {
  if (!stage) return 'everyone';
  const parts: string[] = stage.roles.map((r) => ROLE_PLURAL[r]);
  if (stage.group) parts.push(`the group ${stage.group}`);
  return parts.length === 0
    ? 'nobody yet'
    : parts.length === 1
      ? parts[0]!
      : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
