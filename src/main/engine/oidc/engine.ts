import * as client from 'openid-client';
import type { EngineContext } from '../context';
import { getOidc } from '../../store/sso-config';
import type { OidcDraftInput } from '../../../shared/contract/oidc';
import type { z } from 'zod';
import { configView, draftIssuer, saveConfig, type OidcDraft } from './config';
import { testConnection } from './test-connection';
import { SigninFlows, type SigninOptions } from './signin';
import { closeSession } from './sessions';
import { discoverIdp, relyingPartyConfig } from './client-config';
import { idpFetch, outboundFor, type FetchLike } from '../network/outbound';

export type TestInput = Omit<z.output<typeof OidcDraftInput>, 'enabled' | 'actor'> & { timeoutMs: number };

/** The OIDC area of the engine: settings, Test connection, sign-in flows and logout. */
export class OidcEngine {
  readonly flows: SigninFlows;

  constructor(
    private readonly ctx: EngineContext,
    private readonly opts: SigninOptions = {},
  ) {
    this.flows = new SigninFlows(ctx, opts);
  }

  get(account: string) {
    return configView(this.ctx.store.db, account);
  }

  save(draft: OidcDraft) {
    return saveConfig(this.ctx.store.db, this.ctx.platform.secrets, draft, this.ctx.clock.now());
  }

  /**
   * Test connection on the draft as typed: nothing is written to the store (the stored secret is only
   * looked at to say whether one is set). Goes through the network settings (proxy, trusted CAs).
   */
  test(input: TestInput) {
    const net = outboundFor(this.ctx);
    // A fixed port (when the form has one) is what the IdP must have registered; otherwise any port
    // from the range a sign-in's listener gets, as an example.
    const fixedPort = (input as { redirectPort?: number | null }).redirectPort ?? null;
    const port = fixedPort ?? 49152 + Math.floor(Math.random() * 16000);
    const stored = getOidc(this.ctx.store.db, input.account);
    const secretSet = input.clearClientSecret ? false : Boolean(input.clientSecret) || Boolean(stored?.clientSecretEnc);
    return testConnection(draftIssuer(input), {
      timeoutMs: input.timeoutMs,
      now: () => this.ctx.clock.now(),
      fetch: this.opts.fetch ? (this.opts.fetch as FetchLike) : net.fetch,
      route: (url) => net.describeRoute(url),
      client: {
        clientId: input.clientId,
        redirectUri: `http://${input.redirectHost}:${port}/callback`,
        anyPort: fixedPort === null,
        scopes: input.scopes.map((s) => s.trim()).filter(Boolean),
        secretSet,
      },
    });
  }

  /**
   * Ends an SSO session locally and, where the IdP has an `end_session_endpoint`, builds the
   * RP-initiated logout URL (OpenID Connect RP-Initiated Logout 1.0 §2, with `id_token_hint`) and
   * hands it to the platform. An IdP that cannot be reached does not keep the local session alive.
   */
  async logout(sessionId: string) {
    const { db } = this.ctx.store;
    const closed = closeSession(db, this.ctx.platform.secrets, sessionId, this.ctx.clock.now());
    if (!closed) return { ended: false, endSessionUrl: null, openedBy: null };
    const cfg = getOidc(db, closed.accountId);
    if (!cfg || cfg.issuer !== closed.issuer) return { ended: true, endSessionUrl: null, openedBy: null };
    try {
      const rp = { issuer: cfg.issuer, clientId: cfg.clientId, clientSecret: null };
      const meta = await discoverIdp(rp, { timeoutMs: 5000, clock: this.ctx.clock, fetch: this.opts.fetch ?? (idpFetch(this.ctx) as client.CustomFetch) });
      if (!meta.end_session_endpoint) return { ended: true, endSessionUrl: null, openedBy: null };
      const params: Record<string, string> = { client_id: cfg.clientId };
      if (closed.idToken) params.id_token_hint = closed.idToken;
      const url = client.buildEndSessionUrl(relyingPartyConfig(meta, rp, { clock: this.ctx.clock }), params).href;
      await this.ctx.platform.openExternal(url).catch(() => undefined);
      return { ended: true, endSessionUrl: url, openedBy: this.ctx.platform.kind === 'electron' ? ('system-browser' as const) : ('console' as const) };
    } catch (error) {
      this.ctx.log(`[sso.logout] RP-initiated logout skipped: ${(error as Error).message}`);
      return { ended: true, endSessionUrl: null, openedBy: null };
    }
  }

  close(): Promise<void> {
    return this.flows.close();
  }
}

const engines = new WeakMap<EngineContext, OidcEngine>();

/** The one OIDC engine of a context (handlers and boot's shutdown share it). */
export function oidcEngineFor(ctx: EngineContext): OidcEngine {
  let engine = engines.get(ctx);
  if (!engine) {
    engine = new OidcEngine(ctx);
    engines.set(ctx, engine);
  }
  return engine;
}

/** Closes the context's OIDC engine if one was made (open listeners, timers). */
export async function closeOidcEngine(ctx: EngineContext): Promise<void> {
  await engines.get(ctx)?.close();
  engines.delete(ctx);
}
