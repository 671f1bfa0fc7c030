import type { SecretBox } from './crypto/secret-box';

export interface Prefs {
  theme: 'system' | 'light' | 'dark';
  lastAccount: string | null;
  windowBounds?: { x?: number; y?: number; width: number; height: number } | undefined;
}

export interface PrefsStore {
  get(): Prefs;
  set(patch: Partial<Prefs>): Prefs;
}

/**
 * What the engine needs from its host. The desktop app implements it in `src/main/electron/`
 * (safeStorage, shell.openExternal, electron-store); the browser host in `src/main/host/`.
 */
export interface Platform {
  readonly kind: 'electron' | 'browser';
  readonly dataDir: string;
  readonly secrets: SecretBox;
  readonly prefs: PrefsStore;
  /** Opens a URL in the user's browser: Electron's shell, or a new tab of the console. */
  openExternal(url: string): Promise<void>;
  /**
   * Hands a finished file (an export) to the user: a save dialog in the desktop app, a one-time
   * download link in the browser host. The platform takes ownership of `path`.
   */
  deliverFile(path: string, suggestedName: string, mime: string): Promise<Delivery>;
}

export type Delivery =
  { kind: 'saved'; path: string } | { kind: 'download'; url: string; name: string } | { kind: 'cancelled' };
