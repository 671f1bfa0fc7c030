/**
 * The origin of a URL as Chromium sees it, for a standard custom scheme too (Node's URL gives "null"
 * for `app://`): scheme and host with port, nothing else. null for what has no host.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/**
 * Whether a URL belongs to our renderer: its origin equals the renderer's, exactly. A prefix match
 * would trust `app://sso-desk.evil/` or `http://localhost:5173.evil.example/`.
 */
export const isTrustedUrlFor =
  (trustedOrigin: string) =>
  (url: string): boolean =>
    originOf(url) === trustedOrigin;
