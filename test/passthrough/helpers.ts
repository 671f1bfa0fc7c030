import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/main/store/db';
import type { EngineContext, ServiceUrls } from '../../src/main/engine/context';
import { testPlatform } from '../helpers';
import { appendAudit } from '../../src/main/store/audit';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { configureAuth, type AuthOptions, type AuthService } from '../../src/main/engine/passthrough/service';
import { startApiServer } from '../../src/main/server';
import { closeServer } from '../../src/main/server/listen';
import { WORKSPACE_FORMAT, type WorkspaceInput, Workspace } from '../../src/shared/workspace';
import type { PassthroughRow } from '../../src/main/store/sso-config';
import { getPassthrough, putPassthrough } from '../../src/main/store/sso-config';

export const PASSWORD = 'S3cret-pässwörd"<&>\\';

/** A small world: acme (SSO enforced), globex (pass-through), initech (SSO Desk passwords), dana in globex + initech. */
export function testWorkspace(passthroughUrl: string): WorkspaceInput {
  return {
    format: WORKSPACE_FORMAT,
    accounts: [
      {
        id: 'acme',
        name: 'Acme Corp',
        plan: 'enterprise',
        packages: ['sso-login'],
        oidc: { enabled: true, issuer: 'http://127.0.0.1:9/', clientId: 'x' },
      },
      {
        id: 'globex',
        name: 'Globex Inc',
        plan: 'pro',
        passthrough: {
          enabled: true,
          url: passthroughUrl,
          method: 'POST',
          dataAs: 'json',
          authType: 'none',
          headers: {},
          body: '',
        },
      },
      { id: 'initech', name: 'Initech', plan: 'pro' },
    ],
    users: [
      { email: 'ann@acme.test', name: 'Ann', password: PASSWORD },
      { email: 'erin@globex.test', name: 'Erin', externalId: 'G-3001', password: PASSWORD },
      { email: 'dana@example.test', name: 'Dana', password: PASSWORD },
      { email: 'ivan@initech.test', name: 'Ivan', password: PASSWORD },
      { email: 'lone@nowhere.test', name: 'Lone', password: PASSWORD },
    ],
    memberships: [
      { account: 'acme', email: 'ann@acme.test', role: 'owner' },
      { account: 'globex', email: 'erin@globex.test', role: 'owner' },
      { account: 'globex', email: 'dana@example.test', role: 'member' },
      { account: 'initech', email: 'dana@example.test', role: 'member' },
      { account: 'initech', email: 'ivan@initech.test', role: 'owner' },
    ],
  };
}

export interface World {
  dir: string;
  store: Store;
  ctx: EngineContext;
  svc: AuthService;
  logs: string[];
  mail: Array<{ to: string; subject: string; text: string }>;
  api: string;
  setPassthrough(patch: Partial<PassthroughRow>): void;
  close(): Promise<void>;
}

export async function world(opts: { passthroughUrl?: string; auth?: AuthOptions } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-pt-'));
  const store = openStore(dir);
  const logs: string[] = [];
  const urls: ServiceUrls = { api: null, idp: null, passthrough: null };
  const ctx: EngineContext = {
    store,
    platform: testPlatform(dir),
    urls,
    clock: { now: () => Date.now() },
    version: 'test',
    log: (l) => logs.push(l),
    audit: (event) => void appendAudit(store.db, { ...event, at: ctx.clock.now() }),
  };
  await importWorkspace(
    store.db,
    ctx.platform.secrets,
    Workspace.parse(testWorkspace(opts.passthroughUrl ?? 'http://127.0.0.1:9/login')),
    { actor: 'test' },
  );
  const mail: World['mail'] = [];
  const svc = configureAuth(ctx, {
    throttle: { lockAfter: 1000 },
    sleep: async () => {},
    mailer: { send: (to, subject, text) => mail.push({ to, subject, text }) },
    ...opts.auth,
  });
  const api = await startApiServer(ctx);
  urls.api = api.url;
  return {
    dir,
    store,
    ctx,
    svc,
    logs,
    mail,
    api: api.url,
    setPassthrough(patch) {
      const row = getPassthrough(store.db, 'globex')!;
      putPassthrough(store.db, { ...row, ...patch, updatedAt: Date.now() });
    },
    async close() {
      await closeServer(api.server);
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: string;
}

/** A stand-in for an organization's authentication service on 127.0.0.1:0 that records what it gets. */
export async function service(
  handler: (seen: Seen, res: ServerResponse) => unknown,
): Promise<{ url: string; seen: Seen[]; server: Server; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const s: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    seen.push(s);
    await handler(s, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, seen, server, close: () => closeServer(server) };
}

export const answer =
  (status: number, body = '', headers: Record<string, string> = {}) =>
  (_s: Seen, res: ServerResponse) => {
    res.writeHead(status, headers);
    res.end(body);
  };

export async function post(
  url: string,
  body: unknown,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}
