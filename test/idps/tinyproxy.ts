import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort } from './free-port';

/**
 * tinyproxy, an HTTP proxy from Debian's packages, started on 127.0.0.1 as a company's proxy would
 * be: plain requests go through it with a `Via: 1.1 tinyproxy` header, https through CONNECT. Its log
 * names every request it relayed, which is how a test proves a call went through the proxy.
 */
export const TINYPROXY_BIN = '/usr/bin/tinyproxy';
export const hasTinyproxy = (): boolean => existsSync(TINYPROXY_BIN);

export interface Tinyproxy {
  url: string;
  /** What tinyproxy logged so far (one line per connection, request and CONNECT). */
  log(): string;
  stop(): Promise<void>;
}

export async function startTinyproxy(): Promise<Tinyproxy> {
  if (!hasTinyproxy()) throw new Error('tinyproxy is not installed (apt-get install -y tinyproxy)');
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-tinyproxy-'));
  const port = await freePort();
  const logFile = join(dir, 'tinyproxy.log');
  // No ConnectPort line: CONNECT is allowed to any port (the test IdPs listen on random ones).
  writeFileSync(
    join(dir, 'tinyproxy.conf'),
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      `LogFile "${logFile}"`,
      'LogLevel Info',
      'MaxClients 20',
      'Allow 127.0.0.1',
      'ViaProxyName "tinyproxy"',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(TINYPROXY_BIN, ['-d', '-c', join(dir, 'tinyproxy.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const log = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (!exited) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (exited) {
      await stop();
      throw new Error(`tinyproxy exited at start: ${stderr}\n${log()}`);
    }
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) {
      await stop();
      throw new Error(`tinyproxy did not listen on ${port}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `http://127.0.0.1:${port}`, log, stop };
}
