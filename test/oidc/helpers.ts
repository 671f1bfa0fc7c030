import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boot, type Booted } from '../../src/main/boot';
import { fileKeySecretBox } from '../../src/main/engine/crypto/secret-box';
import type { Platform, Prefs } from '../../src/main/engine/platform';
import type { Clock } from '../../src/main/engine/context';
import { listDemoCredentials } from '../../src/main/store/demo-credentials';

/** A platform like the browser host's, which records what it was asked to open. */
export function testPlatform(dataDir: string, opened: string[]): Platform {
  let prefs: Prefs = { theme: 'system', lastAccount: null };
  return {
    kind: 'browser',
    dataDir,
    secrets: fileKeySecretBox(dataDir),
    prefs: { get: () => prefs, set: (p) => (prefs = { ...prefs, ...p }) },
    openExternal: async (url) => {
      opened.push(url);
    },
    deliverFile: async () => ({ kind: 'cancelled' }),
  };
}

/** A clock the test can move: expiry checks read it, timers do not. */
export function movableClock(): Clock & { offsetMs: number } {
  const c = { offsetMs: 0, now: () => Date.now() + c.offsetMs };
  return c;
}

export interface World {
  booted: Booted;
  dataDir: string;
  password: string;
  opened: string[];
  clock: ReturnType<typeof movableClock>;
  close(): Promise<void>;
}

/** Boots SSO Desk as the app does (store, API, embedded IdP, demo seed) in a temp data dir. */
export async function startWorld(opts: { dataDir?: string } = {}): Promise<World> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'sso-desk-oidc-'));
  const opened: string[] = [];
  const clock = movableClock();
  const booted = await boot({
    dataDir,
    version: 'test',
    platform: (d) => testPlatform(d, opened),
    clock,
    log: () => undefined,
  });
  const cred = listDemoCredentials(booted.ctx.store.db).find((c) => c.kind === 'password')!;
  const password = booted.ctx.platform.secrets.decrypt(cred.valueEnc);
  return {
    booted,
    dataDir,
    password,
    opened,
    clock,
    close: async () => {
      await booted.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A browser driven by code: a cookie jar, manual redirects, and the IdP's login form filled in by
 * its field names. It stops at the loopback callback so the test decides when (and how) to hit it.
 */
export class CodeBrowser {
  private readonly jar = new Map<string, string>();
  /** The login pages seen on the way, for assertions. */
  pages: string[] = [];

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /^\s*max-age=0/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()),
      );
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    });
    this.store(res);
    return res;
  }

  /**
   * Follows redirects from `start`, logging in on the IdP's form with email + password, until the
   * next hop is `http://127.0.0.1:<port>/callback...`; returns that callback URL unvisited.
   * Returns `{ loginError }` when the login page answers with an error instead.
   */
  async signInAtIdp(
    start: string,
    email: string,
    password: string,
  ): Promise<{ callback: string } | { loginError: string }> {
    let url = start;
    let body: string | undefined;
    let method = 'GET';
    for (let hop = 0; hop < 15; hop++) {
      if (/^http:\/\/(127\.0\.0\.1|localhost):\d+\/callback/.test(url)) return { callback: url };
      const res = await this.request(
        url,
        method === 'POST' ? { method, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {},
      );
      method = 'GET';
      body = undefined;
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url).href;
        await res.arrayBuffer();
        continue;
      }
      const html = await res.text();
      this.pages.push(html);
      const alert = /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(html);
      if (alert) return { loginError: alert[1]! };
      const formTag = /<form\b[^>]*>/i.exec(html)?.[0];
      const action = formTag ? /action="([^"]+)"/.exec(formTag)?.[1] : undefined;
      if (!action) throw new Error(`no form at ${url} (HTTP ${res.status}): ${html.slice(0, 300)}`);
      const fields = new URLSearchParams();
      for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
        const name = /name="([^"]+)"/.exec(input[0])?.[1];
        if (!name) continue;
        if (name === 'email' || name === 'login') fields.set(name, email);
        else if (name === 'password') fields.set(name, password);
        else fields.set(name, /value="([^"]*)"/.exec(input[0])?.[1] ?? '');
      }
      url = new URL(action.replace(/&amp;/g, '&'), url).href;
      method = 'POST';
      body = fields.toString();
    }
    throw new Error('too many redirects');
  }
}

/** Waits until `check` is true (polling), or fails after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}
