import type { Session } from 'electron';

/**
 * The console needs no browser permission (camera, notifications, geolocation, HID, …): every
 * request is denied, and every check answers "not granted" (Electron security checklist §5; the
 * check handler covers the APIs that only ask, never request). Only writing to the clipboard from our
 * own renderer is granted, for the "Copy" buttons.
 */
export function lockDownSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  isTrustedUrl: (url: string) => boolean,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permission === 'clipboard-sanitized-write' && isTrustedUrl(details.requestingUrl)),
  );
  session.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin) =>
      permission === 'clipboard-sanitized-write' && isTrustedUrl(requestingOrigin),
  );
}
