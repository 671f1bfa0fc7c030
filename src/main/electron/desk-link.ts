/**
 * `sso-desk://<screen>` links (registered by electron-builder's `protocols`): a link opens one of the
 * console's screens, and nothing else. The screen must be on this allow-list; a link with a path,
 * query, fragment, credentials or anything unexpected is ignored, so a link cannot carry input.
 */
export const DESK_LINK_SCHEME = 'sso-desk';
export const LINK_SCREENS = ['settings', 'simulator', 'inspector', 'audit', 'keys'] as const;
export type LinkScreen = (typeof LINK_SCREENS)[number];

/** The screen a `sso-desk://` link names, or null for anything else. */
export function parseDeskLink(link: string): LinkScreen | null {
  if (link.length > 200 || !link.toLowerCase().startsWith(`${DESK_LINK_SCHEME}://`)) return null;
  let u: URL;
  try {
    u = new URL(link);
  } catch {
    return null;
  }
  if (u.username || u.password || u.port || u.search || u.hash) return null;
  if (u.pathname !== '' && u.pathname !== '/') return null;
  const screen = u.hostname.toLowerCase();
  return (LINK_SCREENS as readonly string[]).includes(screen) ? (screen as LinkScreen) : null;
}

/** The first valid `sso-desk://` link in a command line (how Windows and Linux pass a link to the app). */
export function deskLinkInArgv(argv: readonly string[]): LinkScreen | null {
  for (const arg of argv) {
    const screen = parseDeskLink(arg);
    if (screen) return screen;
  }
  return null;
}
