import * as client from 'openid-client';
import type { EngineContext } from '../context';
import { getOidc, type OidcRow } from '../../store/sso-config';
import type { OidcDraftInput } from '@shared/contract/oidc';
import type { z } from 'zod';
import { configView, draftIssuer, draftRow, saveConfig, type OidcDraft } from './config';
import { checkLiveEdit, keepIfLive, revertToLastWorking } from './live-edit';
import { applyStage, stagePreview, type SsoStage } from './stage';
import { ownerPasswordOn } from '../../store/sso-enforcement';
import { scimGroupNames } from '../../store/sso-stage';
import { testConnection } from './test-connection';
import { SigninFlows, type SigninOptions } from './signin';
import { closeSession } from './sessions';
import { discoverIdp, relyingPartyConfig } from './client-config';
import { applyOwnerPassword, checkSwitchOn, draftFingerprint, storedOidcOf } from './enforcement';
import { resolveOidcDraft } from '@shared/oidc-fingerprint';
import { getAccount } from '../../store/accounts';
import { rebaseTest, recordTest } from '../../store/sso-enforcement';
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
    return configView(this.ctx.store.db, account, this.ctx.clock.now());
  }

  /** Saves without the switch-on guard: for fixtures and import, never for the console's channel. */
  save(draft: OidcDraft) {
    return saveConfig(this.ctx.store.db, this.ctx.platform.secrets, draft, this.ctx.clock.now());
  }

  /**
   * The `sso.oidc.save` channel: switching SSO on needs evidence (see `checkSwitchOn`); the owner
   * break-glass, when given, is applied and audited after the settings are saved.
   * @throws DeskError as `saveConfig`, and `sso_enable_untested` | `sso_enable_unconfirmed`.
   */
  saveChecked(draft: OidcDraft) {
    const { db } = this.ctx.store;
    const now = this.ctx.clock.now();
    let tested = null as string | null;
    let replaced: OidcRow | undefined;
    const view = saveConfig(db, this.ctx.platform.secrets, draft, now, {
      beforeWrite: (account, before) => {
        if (draft.enabled && !before?.enabled) checkSwitchOn(db, account.name, draft, before, now);
        checkLiveEdit(db, account.name, draft, before, now);
        tested = draftFingerprint(draft, before);
        replaced = before;
      },
    });
    keepIfLive(db, replaced, getOidc(db, view.account), draft.actor, now);
    // A Test connection of exactly this draft stays good: its typed secret (or new key) is now the stored one.
    if (tested !== null && view.enforcement.fingerprint !== null && tested !== view.enforcement.fingerprint)
      rebaseTest(db, view.account, tested, view.enforcement.fingerprint);
    if (draft.ownerPassword !== undefined)
      applyOwnerPassword(db, { id: view.account, name: view.accountName }, draft.ownerPassword, draft.actor, now);
    if (draft.stage !== undefined)
      applyStage(db, { id: view.account, name: view.accountName }, draft.stage, draft.actor, now);
    return configView(db, view.account, now);
  }

  /** The `sso.oidc.stagePreview` channel: who moves and who keeps a password with this stage. */
  stagePreview(input: { account: string; stage: SsoStage | null; ownerPassword?: boolean | undefined }) {
    const { db } = this.ctx.store;
    const view = configView(db, input.account, this.ctx.clock.now());
    const keepOwners = input.ownerPassword ?? ownerPasswordOn(db, view.account);
    return { ...stagePreview(db, view.account, input.stage, keepOwners), groups: scimGroupNames(db, view.account) };
  }

  /** The `sso.oidc.revert` channel: the last working settings back in one step (see live-edit.ts). */
  revert(input: { account: string; actor: string }) {
    const { db } = this.ctx.store;
    const now = this.ctx.clock.now();
    const view = configView(db, input.account, now);
    revertToLastWorking(db, { id: view.account, name: view.accountName }, input.actor, now);
    return configView(db, input.account, now);
  }

  /**
   * The row and fingerprint of unsaved settings for a test sign-in through them: validated as Save
   * validates them, absent fields kept from what is saved. Nothing is written.
   */
  draftForSignin(account: string, draft: Partial<Omit<OidcDraft, 'account' | 'enabled' | 'actor'>>) {
    const { db } = this.ctx.store;
    const stored = getOidc(db, account);
    const full: OidcDraft = {
      account,
      enabled: stored?.enabled ?? false,
      actor: 'console',
      preset: (stored?.preset ?? 'generic') as OidcDraft['preset'],
      presetParams: stored?.presetParams ?? {},
      issuer: stored?.issuer ?? '',
      clientId: stored?.clientId ?? '',
      clearClientSecret: false,
      scopes: stored?.scopes ?? ['openid', 'email', 'profile'],
      redirectHost: stored?.redirectHost ?? '127.0.0.1',
      ...Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined)),
    };
    const { row } = draftRow(db, this.ctx.platform.secrets, full, this.ctx.clock.now());
    return { row, fingerprint: draftFingerprint(full, stored) };
  }

  /**
   * Test connection on the draft as typed; nothing of the configuration is read or written. The
   * result is remembered for the account with the draft's fingerprint: switching SSO on needs a
   * passing test of exactly the settings being switched on.
   */
  async test(input: TestInput) {
    const net = outboundFor(this.ctx);
    // A fixed port (when the form has one) is what the IdP must have registered; otherwise any port
    // from the range a sign-in's listener gets, as an example.
    const stored = getOidc(this.ctx.store.db, input.account);
    // Absent = the stored port (as Save would keep it).
    const fixedPort = resolveOidcDraft(input, storedOidcOf(stored)).redirectPort;
    const port = fixedPort ?? 49152 + Math.floor(Math.random() * 16000);
    const secretSet = input.clearClientSecret ? false : Boolean(input.clientSecret) || Boolean(stored?.clientSecretEnc);
    const report = await testConnection(draftIssuer(input), {
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
    if (getAccount(this.ctx.store.db, input.account)) {
      const firstError = report.findings.find((f) => f.level === 'error');
      const unconfirmed =
        report.verdict === 'unconfirmed' ? (report.findings.find((f) => f.check === 'client')?.message ?? null) : null;
      recordTest(this.ctx.store.db, input.account, {
        fingerprint: draftFingerprint(input, stored),
        ok: report.ok,
        at: this.ctx.clock.now(),
        summary: firstError
          ? firstError.message
          : `${report.findings.length} checks passed${unconfirmed ? '; the client is not confirmed' : ''}`,
        unconfirmed,
      });
    }
    return report;
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
      const { meta } = await discoverIdp(rp, {
        timeoutMs: 5000,
        clock: this.ctx.clock,
        fetch: this.opts.fetch ?? (idpFetch(this.ctx) as client.CustomFetch),
      });
      if (!meta.end_session_endpoint) return { ended: true, endSessionUrl: null, openedBy: null };
      const params: Record<string, string> = { client_id: cfg.clientId };
      if (closed.idToken) params.id_token_hint = closed.idToken;
      const url = client.buildEndSessionUrl(relyingPartyConfig(meta, rp, { clock: this.ctx.clock }), params).href;
      await this.ctx.platform.openExternal(url).catch(() => undefined);
      return {
        ended: true,
        endSessionUrl: url,
        openedBy: this.ctx.platform.kind === 'electron' ? ('system-browser' as const) : ('console' as const),
      };
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
