import { rootCertificates } from 'node:tls';
import type { Agent, Dispatcher, ProxyAgent } from 'undici';
import type { EngineContext } from '../context';
import { loadNetworkSettings, parseCaPem, splitNoProxy, type NetworkSettings } from './settings';
import { cappedFetch } from './bounded-get';
import { MASK } from '@shared/trace';

/** A fetch as openid-client and our own callers use it. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** The network in force: proxy per scheme, what bypasses it, the extra trusted CAs. */
export interface EffectiveNetwork {
  httpsProxy: string | null;
  httpProxy: string | null;
  source: 'settings' | 'environment' | 'none';
  noProxy: string[];
  /** Loopback never goes through a proxy from the environment; one set in Settings obeys its own list. */
  bypassLoopback: boolean;
  /** Extra trusted CA certificates (PEM blocks), on top of the system's. */
  ca: string[];
}

const envValue = (env: NodeJS.ProcessEnv, ...names: string[]): string | null => {
  for (const n of names) {
    const v = env[n]?.trim();
    if (v) return v;
  }
  return null;
};

/**
 * The network from Settings › Network, else the `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` convention
 * (lower-case names too, as curl reads them). A proxy set in Settings applies to http and https.
 */
export function effectiveNetwork(settings: NetworkSettings, env: NodeJS.ProcessEnv = process.env): EffectiveNetwork {
  const parsed = settings.caPem.trim() ? parseCaPem(settings.caPem) : null;
  const ca = parsed && 'pems' in parsed ? parsed.pems : [];
  if (settings.proxyUrl) {
    return {
      httpsProxy: settings.proxyUrl,
      httpProxy: settings.proxyUrl,
      source: 'settings',
      noProxy: splitNoProxy(settings.noProxy),
      bypassLoopback: false,
      ca,
    };
  }
  const httpsProxy = envValue(env, 'https_proxy', 'HTTPS_PROXY');
  const httpProxy = envValue(env, 'http_proxy', 'HTTP_PROXY');
  return {
    httpsProxy,
    httpProxy,
    source: httpsProxy || httpProxy ? 'environment' : 'none',
    noProxy: splitNoProxy(envValue(env, 'no_proxy', 'NO_PROXY') ?? ''),
    bypassLoopback: true,
    ca,
  };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether a URL bypasses the proxy by the NO_PROXY rules curl follows: `*` matches everything; a
 * name matches itself and its subdomains (a leading `.` or `*.` changes nothing); an IP matches
 * exactly; `:port` limits an entry to that port.
 */
export function bypassesProxy(url: URL, noProxy: string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy) {
    if (raw === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase())!;
    let entry = m[1]!;
    if (m[2] && m[2] !== port) continue;
    entry = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (!entry) continue;
    if (host === entry || (!entry.startsWith('[') && host.endsWith(`.${entry}`))) return true;
  }
  return false;
}

/** Hides the password of a proxy URL that came from the environment. */
export const maskProxy = (value: string | null): string | null => {
  if (!value) return null;
  try {
    const u = new URL(value);
    if (u.password) u.password = MASK;
    return u.href.replace(/\/$/, '');
  } catch {
    return value.replace(/\/\/[^@/]*@/, `//${MASK}@`);
  }
};

/**
 * Every outbound call of the engine goes through one of these: IdP discovery, JWKS, token and
 * userinfo requests (openid-client's customFetch), Test connection, the token inspector's discovery,
 * pass-through services (node:http, through `route`). Built from the saved settings; rebuilt on save.
 */
type Undici = typeof import('undici');
let undici: Promise<Undici> | null = null;
/** undici is loaded on the first outbound call, not at start-up (it is not needed to show the console). */
const loadUndici = (): Promise<Undici> => (undici ??= import('undici'));

export class Outbound {
  private direct: Agent | null = null;
  private readonly proxies = new Map<string, ProxyAgent>();
  private readonly trusted: string[] | undefined;

  constructor(readonly net: EffectiveNetwork) {
    // Node's `ca` replaces the system roots: keep them and add the admin's.
    this.trusted = net.ca.length ? [...rootCertificates, ...net.ca] : undefined;
  }

  /** The proxy a request to `url` goes through, or null for a direct connection. */
  proxyFor(url: URL): string | null {
    if (this.net.bypassLoopback && LOOPBACK.test(url.hostname)) return null;
    if (bypassesProxy(url, this.net.noProxy)) return null;
    return url.protocol === 'https:' ? this.net.httpsProxy : url.protocol === 'http:' ? this.net.httpProxy : null;
  }

  /** CA certificates for node:https (system roots + the admin's), or undefined for Node's default. */
  get ca(): string[] | undefined {
    return this.trusted;
  }

  /** For node:http callers: the proxy (if any) and the CAs to trust for `url`. */
  route(url: URL): { proxy: URL | null; ca: string[] | undefined } {
    const p = this.proxyFor(url);
    return { proxy: p ? new URL(p) : null, ca: this.trusted };
  }

  private dispatcher(lib: Undici, url: URL): Dispatcher {
    const proxy = this.proxyFor(url);
    if (!proxy) return (this.direct ??= new lib.Agent(this.trusted ? { connect: { ca: this.trusted } } : {}));
    let agent = this.proxies.get(proxy);
    if (!agent) {
      const tlsOpts = this.trusted ? { ca: this.trusted } : {};
      agent = new lib.ProxyAgent({ uri: proxy, requestTls: tlsOpts, proxyTls: tlsOpts });
      this.proxies.set(proxy, agent);
    }
    return agent;
  }

  /** fetch through the proxy and CAs in force (undici's fetch with the right dispatcher). */
  readonly fetch: FetchLike = async (url, init = {}) => {
    const target = new URL(url);
    const lib = await loadUndici();
    return lib.fetch(target, {
      ...(init as Parameters<Undici['fetch']>[1]),
      dispatcher: this.dispatcher(lib, target),
    }) as unknown as Promise<Response>;
  };

  /** Describes the route for a message: "through the proxy http://proxy:3128" or "directly". */
  describeRoute(url: string): string {
    try {
      const p = this.proxyFor(new URL(url));
      return p ? `through the proxy ${maskProxy(p)}` : 'directly';
    } catch {
      return 'directly';
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.direct?.close(), ...[...this.proxies.values()].map((p) => p.close())]);
  }
}

const outbounds = new WeakMap<EngineContext, Outbound>();

/** The context's outbound network, built from the saved settings on first use. */
export function outboundFor(ctx: EngineContext): Outbound {
  let o = outbounds.get(ctx);
  if (!o) {
    o = new Outbound(effectiveNetwork(loadNetworkSettings(ctx.store.db)));
    outbounds.set(ctx, o);
  }
  return o;
}

/** After a save: the next call builds a new Outbound; the old one's open connections finish first. */
export function resetOutbound(ctx: EngineContext): void {
  const old = outbounds.get(ctx);
  outbounds.delete(ctx);
  if (old) setTimeout(() => void old.close(), 30_000).unref();
}

/** The most an IdP answer (discovery, JWKS, token, userinfo) may weigh before the read is cut. */
export const IDP_ANSWER_LIMIT = 1024 * 1024;

/** openid-client's customFetch for sign-in and logout: the outbound network, every answer bounded. */
export function idpFetch(ctx: EngineContext): FetchLike {
  return cappedFetch(outboundFor(ctx).fetch, IDP_ANSWER_LIMIT);
}
