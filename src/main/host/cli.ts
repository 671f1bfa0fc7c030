import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeskError } from '@shared/errors';
import type { Workspace } from '@shared/workspace';
import { boot } from '../boot';
import { readVersion } from '../engine/handlers/app';
import { parseWorkspace, resolveSecrets } from '../engine/workspace/import';
import { exportWorkspace, workspaceText } from '../engine/workspace/export';
import { parseHostArgs } from './args';
import { startConsoleServer } from './console-server';
import { defaultDataDir } from './data-dir';
import { browserPlatform } from './platform';
import { createDownloads } from './downloads';
import { closeServer } from '../server/listen';
import { diagnoseFile } from './diagnose-file';

const here = dirname(fileURLToPath(import.meta.url));
// Built layout: out/main/host.js, out/renderer/, package.json two levels up.
const rendererDir = join(here, '..', 'renderer');
const packageJson = join(here, '..', '..', 'package.json');

function readImportFile(file: string): Workspace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DeskError(
      'import_unreadable',
      `--import ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  try {
    return parseWorkspace(text);
  } catch (e) {
    throw new DeskError('import_invalid', `--import ${file}: ${(e as Error).message}`);
  }
}

/** The passphrase of encrypted workspace secrets: `--passphrase-file` (its first line), else $SSO_DESK_PASSPHRASE. */
function readPassphrase(file: string | undefined): string | undefined {
  if (file === undefined) return process.env.SSO_DESK_PASSPHRASE || undefined;
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[0] || undefined;
  } catch (e) {
    throw new DeskError(
      'passphrase_unreadable',
      `--passphrase-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

async function main(): Promise<void> {
  const args = parseHostArgs(process.argv.slice(2));
  if (args.diagnoseFile) {
    // --diagnose reads a capture and exits; it starts nothing and writes nothing.
    const diagnosis = await diagnoseFile(args.diagnoseFile, args.dataDir);
    process.stdout.write(`${JSON.stringify(diagnosis)}\n`);
    return;
  }
  const passphrase = readPassphrase(args.passphraseFile);
  if (args.includeSecrets && !passphrase)
    throw new DeskError(
      'bad_args',
      '--include-secrets needs a passphrase: --passphrase-file FILE or SSO_DESK_PASSPHRASE',
    );
  // Read and validate the file (and open its secrets) before anything is created, so a bad file leaves no trace.
  let workspace = args.importFile ? readImportFile(args.importFile) : undefined;
  if (workspace) {
    try {
      workspace = await resolveSecrets(workspace, passphrase);
    } catch (e) {
      throw new DeskError('import_invalid', `--import ${args.importFile}: ${(e as Error).message}`);
    }
  }
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
  if (args.exportFile) {
    // --export writes the setup (after --import, when given) and exits: a backup that needs no console.
    try {
      const ws = await exportWorkspace(booted.ctx.store.db, booted.ctx.platform.secrets, {
        passphrase: args.includeSecrets ? passphrase : undefined,
        now: booted.ctx.clock.now(),
        version: booted.ctx.version,
        actor: '--export',
      });
      writeFileSync(args.exportFile, workspaceText(ws), { mode: 0o600 });
      const summary = {
        exported: args.exportFile,
        accounts: ws.accounts.length,
        users: ws.users.length,
        bots: ws.bots.length,
        secrets: ws.secrets ? 'encrypted' : 'left out',
        leftOut: ws.exported?.leftOut ?? [],
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } catch (e) {
      if (e instanceof DeskError) throw new DeskError(e.code, `--export ${args.exportFile}: ${e.message}`);
      throw new DeskError(
        'export_failed',
        `--export ${args.exportFile}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    } finally {
      await booted.close();
    }
    return;
  }
  const key = randomBytes(32).toString('base64url');
  let consoleServer;
  try {
    consoleServer = await startConsoleServer({
      rendererDir,
      dispatch: booted.dispatch,
      key,
      port: args.port,
      log: booted.ctx.log,
      downloads,
    });
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
  const message =
    error instanceof DeskError ? error.message : `unexpected failure: ${(error as Error)?.stack ?? String(error)}`;
  process.stderr.write(`sso-desk: ${message}\n`);
  process.exit(error instanceof DeskError && error.code === 'help' ? 0 : 1);
});
