import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Ready {
  console: string;
  api: string | null;
  idp: string | null;
  passthrough: string | null;
}

export interface RunningHost {
  ready: Ready;
  dataDir: string;
  /** Everything the host wrote to stderr so far (its log). */
  stderr: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts the built browser host (`node out/main/host.js`) on a temp data dir, resolves on its one
 * JSON ready line. Extra flags (e.g. `--import FILE`) pass through.
 */
export async function startHost(extraArgs: string[] = [], dataDir?: string): Promise<RunningHost> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'sso-desk-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['out/main/host.js', '--data-dir', dir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`host not ready in 60 s: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, nl)) as Ready);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}: ${err}`));
    });
  });
  return {
    ready,
    dataDir: dir,
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => {
          if (!dataDir) rmSync(dir, { recursive: true, force: true });
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}
