#!/usr/bin/env node
// `npm start`: the desktop app where an Electron binary is installed; otherwise the browser host.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { findElectronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = findElectronBinary(root);
const run = (cmd, args, env = process.env) => {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

if (binary) {
  run('npx', ['electron-vite', 'preview'], { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dirname(binary) });
} else {
  process.stderr.write(
    'sso-desk: no Electron binary is installed (node_modules/electron/dist is empty and ELECTRON_OVERRIDE_DIST_PATH is unset); ' +
      'to get the desktop app run `node node_modules/electron/install.js` on a networked machine or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron 45. ' +
      'Starting the browser host instead: open the "console" URL below.\n',
  );
  run(process.execPath, [join(root, 'scripts', 'serve.mjs'), ...process.argv.slice(2)]);
}
