/**
 * What a window's web contents may do (Electron security checklist §12-§14): navigate only within our
 * renderer's origin, through `will-navigate`, `will-redirect` and `will-frame-navigate` alike (a
 * redirect or a subframe is no way around it); open no new window (http(s) links go to the system
 * browser); attach no `<webview>`.
 */

/** The part of an Electron navigation event the guards use. */
export interface NavigationEvent {
  url?: string;
  preventDefault(): void;
}

/** The part of Electron's WebContents the guards use (a test passes a fake). */
export interface GuardableContents {
  on(event: string, listener: (event: NavigationEvent, legacyUrl?: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function guardWebContents(
  contents: GuardableContents,
  isTrustedUrl: (url: string) => boolean,
  openExternal: (url: string) => void,
): void {
  const guard = (event: NavigationEvent, legacyUrl?: string) => {
    const url = event.url ?? legacyUrl ?? '';
    if (!isTrustedUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}
