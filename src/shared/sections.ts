import type { TeamLevel } from './domain';

/**
 * The sections of a bot's workspace that a Platform SSO deep link can open
 * (`/auth/sso/<token>/<section>`), and the lowest team level that may open each. Levels rank
 * admin > editor > operator > viewer; the bot's owner may open every section whatever the team says.
 * `home` is the workspace page that `/auth/sso/<token>` lands on.
 */
export const SECTIONS = [
  { id: 'home', label: 'Workspace', minLevel: 'viewer', what: 'the bot’s overview' },
  { id: 'analytics', label: 'Analytics', minLevel: 'viewer', what: 'read-only charts of conversations' },
  { id: 'conversation', label: 'Conversation', minLevel: 'operator', what: 'answering live chats' },
  { id: 'contacts', label: 'Contacts', minLevel: 'operator', what: 'the people who talked to the bot' },
  { id: 'design', label: 'Design', minLevel: 'editor', what: 'flows, answers and the widget’s look' },
  { id: 'training', label: 'Training', minLevel: 'editor', what: 'intents and examples' },
  { id: 'settings', label: 'Settings', minLevel: 'admin', what: 'channels, integrations and API keys' },
  { id: 'team', label: 'Team', minLevel: 'admin', what: 'who works on the bot, at which level' },
] as const satisfies ReadonlyArray<{ id: string; label: string; minLevel: TeamLevel; what: string }>;

export type SectionId = (typeof SECTIONS)[number]['id'];
export type SectionDef = (typeof SECTIONS)[number];

/** Higher is more powerful. */
export const LEVEL_RANK: Record<TeamLevel, number> = { viewer: 1, operator: 2, editor: 3, admin: 4 };

/** Who the user is on the bot: its owner, or a team member at a level. */
export type BotStanding = { kind: 'owner' } | { kind: 'team'; level: TeamLevel };

export const findSection = (id: string): SectionDef | undefined => SECTIONS.find((s) => s.id === id);

export function mayOpen(standing: BotStanding, section: SectionDef): boolean {
  if (standing.kind === 'owner') return true;
  return LEVEL_RANK[standing.level] >= LEVEL_RANK[section.minLevel];
}

export const describeStanding = (s: BotStanding): string => (s.kind === 'owner' ? 'owner' : `${s.level} on the team`);
