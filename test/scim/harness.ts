import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importWorkspace } from '../../src/main/engine/workspace/import';
import { start, testWorkspace, TestClock, type Keys, type Running } from '../platform-sso/harness';

export const ACME_TOKEN = 'scim-acme-token-0123456789abcdef-0123456789';
export const UMBRELLA_TOKEN = 'scim-umbrella-token-0123456789abcdef-01234';
export const GLOBEX_TOKEN = 'scim-globex-token-0123456789abcdef-0123456';
export const NOKIT_TOKEN = 'scim-nokit-token-0123456789abcdef-01234567';

export const OKTA_UA = 'Okta SCIM Client 1.0.0';
export const ENTRA_UA = 'Microsoft.AAD.Provisioning.Scim/1.0';

/** A parsed SCIM answer: tests read into it freely and let the assertions check the shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ScimWorld {
  run: Running;
  keys: Keys;
  clock: TestClock;
  base: string;
  /** One SCIM request over HTTP with a token (default: acme's) and a User-Agent (default: Entra ID's). */
  scim(
    method: string,
    path: string,
    body?: unknown,
    opts?: { token?: string | null; ua?: string; raw?: string },
  ): Promise<{ status: number; body: Json; type: string | null }>;
  cleanup(): Promise<void>;
}

/**
 * The demo world of the Platform SSO tests (acme: Enterprise with the Enterprise toolkit) with
 * provisioning on for acme, plus umbrella (a second Enterprise account, for isolation), globex (Pro)
 * and nokit (Enterprise without the toolkit), each with a token.
 */
export async function scimWorld(): Promise<ScimWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'sso-desk-scim-'));
  const clock = new TestClock();
  const run = await start(dir, clock);
  const { ws, keys } = testWorkspace();
  ws.accounts.find((a) => a.id === 'acme')!.scim = { enabled: true, token: ACME_TOKEN };
  ws.accounts.find((a) => a.id === 'globex')!.scim = { enabled: true, token: GLOBEX_TOKEN };
  ws.accounts.push({
    id: 'umbrella',
    name: 'Umbrella',
    plan: 'enterprise',
    packages: ['sso-login', 'enterprise-toolkit'],
    embeddable: false,
    scim: { enabled: true, token: UMBRELLA_TOKEN },
  });
  ws.accounts.push({
    id: 'nokit',
    name: 'NoKit',
    plan: 'enterprise',
    packages: ['sso-login'],
    embeddable: false,
    scim: { enabled: true, token: NOKIT_TOKEN },
  });
  await importWorkspace(run.store.db, run.ctx.platform.secrets, ws, { now: clock.now() });
  const base = `${run.api}/scim/v2`;
  return {
    run,
    keys,
    clock,
    base,
    scim: async (method, path, body, opts = {}) => {
      const headers: Record<string, string> = { 'User-Agent': opts.ua ?? ENTRA_UA, Accept: 'application/scim+json' };
      const token = opts.token === undefined ? ACME_TOKEN : opts.token;
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (opts.raw !== undefined) payload = opts.raw;
      else if (body !== undefined) payload = JSON.stringify(body);
      if (payload !== undefined) headers['Content-Type'] = 'application/scim+json';
      const res = await fetch(`${base}${path}`, { method, headers, body: payload });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get('content-type') };
    },
    cleanup: async () => {
      await run.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
