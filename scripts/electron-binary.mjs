// Finds an installed Electron binary without ever triggering electron's on-demand download.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function findElectronBinary(root, env = process.env) {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    for (const name of ['electron', 'Electron.app/Contents/MacOS/Electron', 'electron.exe']) {
      const p = join(override, name);
      if (existsSync(p)) return p;
    }
    return null;
  }
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const rel = readFileSync(pathTxt, 'utf8').trim();
  const bin = join(pkg, 'dist', rel);
  return rel && existsSync(bin) ? bin : null;
}
