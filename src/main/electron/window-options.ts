import type { WebPreferences } from 'electron';

/** The renderer's web preferences: Electron's security checklist, in one place that a test can read. */
export const secureWebPreferences = (preload: string): WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  // A middle click would open a new window: not that the window-open handler would allow one.
  disableBlinkFeatures: 'Auxclick',
});
