import { expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { openStore, type Store } from '../../src/main/store/db';
import type { EngineContext, ServiceUrls } from '../../src/main/engine/context';
import { startApiServer } from '../../src/main/server';
import { closeServer } from '../../src/main/server/listen';
import { browserPlatform } from '../../src/main/host/platform';
import { createDownloads } from '../../src/main/host/downloads';
import { appendAudit } from '../../src/main/store/audit';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { demoWorkspace } from '../../src/main/engine/workspace/demo';
import { createDispatch, type Dispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import type { Workspace } from '../../src/shared/workspace';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public t = Date.UTC(2026, 10, 25, 9, 0, 0)) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Keys {
  acme: string;
  globex: string;
  initech: string;
  helpdesk: { key: string; secret: string };
  salesBot: { key: string; secret: string };
  printer: { key: string; secret: string };
}

/**
 * The demo world (acme: Enterprise + SSO Login; globex: Pro + SSO Login + embeddable) plus initech,
 * a Pro account without the SSO Login package. Users get no passwords: scrypt is not under test here.
 */
export function testWorkspace(): { ws: Workspace; keys: Keys } {
  const { workspace: ws } = demoWorkspace();
  for (const u of ws.users) delete u.password;
  ws.users.push({ email: 'ivan@initech.test', name: 'Ivan Grey', emailVerified: true });
  ws.accounts.push({
    id: 'initech',
    name: 'Initech',
    plan: 'pro',
    packages: [],
    embeddable: false,
    apiKey: 'acc_initech_key_0001_padded_24',
  });
  ws.memberships.push({ account: 'initech', email: 'ivan@initech.test', role: 'owner' });
  ws.accounts.push({ id: 'freeco', name: 'FreeCo', plan: 'free', packages: [], embeddable: false });
  ws.bots.push({
    id: 'printer',
    account: 'initech',
    name: 'Printer Bot',
    owner: 'ivan@initech.test',
    apiKey: 'bot_printer_0001_padded_to_24',
    apiSecret: 'sec_printer_0001_padded_to_24',
    team: [],
  });
  const acc = (id: string) => ws.accounts.find((a) => a.id === id)!.apiKey as string;
  const bot = (id: string) => {
    const b = ws.bots.find((x) => x.id === id)!;
    return { key: b.apiKey as string, secret: b.apiSecret as string };
  };
  return {
    ws,
    keys: {
      acme: acc('acme'),
      globex: acc('globex'),
      initech: acc('initech'),
      helpdesk: bot('helpdesk'),
      salesBot: bot('sales-bot'),
      printer: bot('printer'),
    },
  };
}

export interface Running {
  dir: string;
  store: Store;
  ctx: EngineContext;
  server: Server;
  api: string;
  dispatch: Dispatch;
  stop(): Promise<void>;
}

/** Opens the store in `dir` and starts the real Platform API on 127.0.0.1:0. */
export async function start(dir: string, clock: TestClock): Promise<Running> {
  const store = openStore(dir);
  const urls: ServiceUrls = { api: null, idp: null, passthrough: null };
  const lines: string[] = [];
  const ctx: EngineContext = {
    store,
    platform: browserPlatform(dir, createDownloads()),
    urls,
    clock,
    version: 'test',
    log: (l) => lines.push(l),
    audit: (event) => void appendAudit(store.db, { ...event, at: clock.now() }),
  };
  const { server, url } = await startApiServer(ctx, 0);
  urls.api = url;
  return {
    dir,
    store,
    ctx,
    server,
    api: url,
    dispatch: createDispatch(createHandlers(ctx), ctx.log),
    stop: async () => {
      await closeServer(server);
      store.close();
    },
  };
}

export async function world(): Promise<{ run: Running; keys: Keys; clock: TestClock; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-tokens-'));
  const clock = new TestClock();
  const run = await start(dir, clock);
  const { ws, keys } = testWorkspace();
  await importWorkspace(run.store.db, run.ctx.platform.secrets, ws, { now: clock.now() });
  return {
    run,
    keys,
    clock,
    cleanup: async () => {
      await run.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

export async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}
