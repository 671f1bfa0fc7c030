import { test, expect, _electron as electron } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs helper shared with `npm start`.
import { findElectronBinary } from '../scripts/electron-binary.mjs';

const binary: string | null = findElectronBinary(process.cwd());

test.describe('desktop app (Electron)', () => {
  test.skip(
    !binary,
    'no Electron binary on this machine (node_modules/electron/dist missing, ELECTRON_OVERRIDE_DIST_PATH unset)',
  );

  test('opens the window, isolates the renderer and shows app.info over IPC', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'sso-desk-electron-'));
    const app = await electron.launch({ executablePath: binary!, args: ['.', `--user-data-dir=${userData}`] });
    const win = await app.firstWindow();
    await expect(win.getByRole('status', { name: 'Status' })).toContainText('Desktop app');
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (window as unknown as { api?: unknown }).api)).toBe('object');
    await app.close();
  });
});
