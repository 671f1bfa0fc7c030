import type { EngineContext } from '../context';
import { getAccount } from '../../store/accounts';
import { getSaml } from '../../store/sso-saml';
import { recordTest } from '../../store/sso-enforcement';
import { DeskError } from '@shared/errors';
import type { z } from 'zod';
import type { SamlTestInput } from '@shared/contract/saml';
import { applyOwnerPassword, checkSwitchOnFingerprint } from '../oidc/enforcement';
import { outboundFor, type FetchLike } from '../network/outbound';
import { resolveSamlDraft, samlFingerprint, samlView, saveSaml, spMetadataXml, type SamlDraft } from './config';
import { SamlFlows, type SamlFlowOptions } from './signin';
import { testSamlConnection } from './test-connection';
import { checkSamlLiveEdit } from './live-edit';

/** The SAML area of the engine: settings, SP metadata, Test connection, sign-in flows. */
export class SamlEngine {
  readonly flows: SamlFlows;

  constructor(
    private readonly ctx: EngineContext,
    private readonly opts: SamlFlowOptions & { fetch?: FetchLike } = {},
  ) {
    this.flows = new SamlFlows(ctx, opts);
  }

  private get fetch(): FetchLike {
    return this.opts.fetch ?? outboundFor(this.ctx).fetch;
  }

  get(account: string) {
    return samlView(this.ctx.store.db, account, this.ctx.clock.now());
  }

  metadata(account: string) {
    return spMetadataXml(this.ctx.store.db, this.ctx.platform.secrets, account);
  }

  /** Saves without the switch-on guard: for fixtures and the demo seed, never for the console's channel. */
  save(draft: SamlDraft) {
    return saveSaml(this.ctx.store.db, this.ctx.platform.secrets, draft, this.ctx.clock.now(), this.fetch);
  }

  /**
   * The `sso.saml.save` channel: switching SAML on — and every IdP change while it is on — needs a
   * passing Test connection of exactly these settings and a recent test sign-in (or a confirmation),
   * the same guard as OIDC's. @throws DeskError as `saveSaml`, `sso_enable_untested` | `sso_enable_unconfirmed`.
   */
  async saveChecked(draft: SamlDraft) {
    const { db } = this.ctx.store;
    const now = this.ctx.clock.now();
    const view = await saveSaml(db, this.ctx.platform.secrets, draft, now, this.fetch, {
      beforeWrite: (account, before, fingerprint, after) => {
        if (!draft.enabled) return;
        if (!before?.enabled) return checkSwitchOnFingerprint(db, account.name, fingerprint, draft, now);
        // A live setup: the same guard, in words that say SAML stays on (saml/live-edit.ts).
        if (fingerprint !== samlFingerprint(before as never, before.spCert) || draft.newSpKey || draft.clearSpKey)
          checkSamlLiveEdit(db, account.name, draft, before, after, fingerprint, now);
      },
    });
    if (draft.ownerPassword === undefined) return view;
    applyOwnerPassword(db, { id: view.account, name: view.accountName }, draft.ownerPassword, draft.actor, now);
    return samlView(db, view.account, now);
  }

  /** Test connection on the draft as typed; records the result with the draft's fingerprint. */
  async test(input: z.output<typeof SamlTestInput>) {
    const started = Date.now();
    const { db } = this.ctx.store;
    if (!getAccount(db, input.account))
      throw new DeskError('not_found', `no account "${input.account}"`, { status: 404 });
    const before = getSaml(db, input.account);
    const now = this.ctx.clock.now();
    const { resolved, problems } = await resolveSamlDraft(input, before, this.fetch, now, input.timeoutMs);
    const report = await testSamlConnection(resolved, problems, {
      fetch: this.fetch,
      timeoutMs: input.timeoutMs,
      now,
      acsOwnedByUs: this.flows.listening(resolved.acsPort),
    });
    const spCert = input.clearSpKey ? null : (before?.spCert ?? null);
    const firstError = report.findings.find((f) => f.level === 'error');
    // A new SP key changes the fingerprint on save: it is tested by the test sign-in after saving.
    recordTest(db, input.account, {
      fingerprint: samlFingerprint(resolved, spCert),
      ok: report.ok,
      at: now,
      summary: firstError ? firstError.message : `${report.findings.length} checks passed`,
    });
    return { ...report, durationMs: Date.now() - started };
  }

  close(): Promise<void> {
    return this.flows.close();
  }
}

const engines = new WeakMap<EngineContext, SamlEngine>();

export function samlEngineFor(ctx: EngineContext): SamlEngine {
  let e = engines.get(ctx);
  if (!e) {
    e = new SamlEngine(ctx);
    engines.set(ctx, e);
  }
  return e;
}

export async function closeSamlEngine(ctx: EngineContext): Promise<void> {
  await engines.get(ctx)?.close();
  engines.delete(ctx);
}
