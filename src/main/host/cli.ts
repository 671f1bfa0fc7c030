import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeskError } from '../../shared/errors';
import type { Workspace } from '../../shared/workspace';
import { boot } from '../boot';
import { readVersion } from '../engine/handlers/app';
import { parseWorkspace } from '../engine/workspace/import';
import { parseHostArgs } from './args';
import { startConsoleServer } from './console-server';
import { defaultDataDir } from './data-dir';
import { browserPlatform } from './platform';
import { createDownloads } from './downloads';
import { closeServer } from '../server/listen';

const here = dirname(fileURLToPath(import.meta.url));
// Built layout: out/main/host.js, out/renderer/, package.json two levels up.
const rendererDir = join(here, '..', 'renderer');
const packageJson = join(here, '..', '..', 'package.json');

function readImportFile(file: string): Workspace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DeskError('import_unreadable', `--import ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return parseWorkspace(text);
  } catch (e) {
    throw new DeskError('import_invalid', `--import ${file}: ${(e as Error).message}`);
  }
}

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  // Read and validate the file before anything is created, so a bad file leaves no trace.
  const workspace = args.importFile ? readImportFile(args.importFile) : undefined;
  const dataDir = args.dataDir ?? defaultDataDir();
  const downloads = createDownloads();
  const booted = await boot({
    dataDir,
    version: readVersion(packageJson),
    platform: (dir) => browserPlatform(dir, downloads),
    workspace,
    replace: args.replace,
    apiPort: args.apiPort,
  });
  const key = randomBytes(32).toString('base64url');
  let consoleServer;
  try {
    consoleServer = await startConsoleServer({ rendererDir, dispatch: booted.dispatch, key, port: args.port, log: booted.ctx.log, downloads });
  } catch (e) {
    await booted.close();
    throw e;
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    booted.ctx.log(`${signal}: closing SSO Desk`);
    await closeServer(consoleServer.server);
    downloads.clear();
    await booted.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // Announce readiness only once the signal handlers are in place: whoever reads the line may stop us at once.
  const ready = { console: consoleServer.consoleUrl, ...booted.urls };
  const line = JSON.stringify(ready);
  if (args.readyFile) writeFileSync(args.readyFile, `${line}\n`, { mode: 0o600 });
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof DeskError ? error.message : `unexpected failure: ${(error as Error)?.stack ?? String(error)}`;
  process.stderr.write(`sso-desk: ${message}\n`);
  process.exit(error instanceof DeskError && error.code === 'help' ? 0 : 1);
});
