import type { Server } from 'node:http';
import { openStore, tightenDataDir, type Store } from './store/db';
import { existsSync } from 'node:fs';
import { startCheckpoints } from './store/checkpoints';
import { systemClock, type Clock, type EngineContext, type ServiceUrls } from './engine/context';
import { createDispatch, type Dispatch } from './engine/dispatch';
import { createHandlers } from './engine/handlers';
import type { Platform } from './engine/platform';
import { seedDemoIfEmpty } from './engine/workspace/demo';
import { importWorkspace } from './engine/workspace/import';
import type { Workspace } from '@shared/workspace';
import { startApiServer } from './server';
import { closeServer } from './server/listen';
import { startPassthroughDemo } from './idp/passthrough-demo';
import { startEmbeddedIdp } from './idp/embedded-idp';
import { startEmbeddedSamlIdp } from './idp/saml-idp';
import { repointSamlIdp } from './store/sso-saml';
import { closeOidcEngine } from './engine/oidc/engine';
import { closeSamlEngine } from './engine/saml/engine';
import { repointOidcIssuer } from './store/oidc-sessions';
import { appendAudit } from './store/audit';
import { startMaintenance } from './engine/maintenance/maintenance';
import { authService } from './engine/passthrough/service';
import { escapeControls } from '@shared/well-formed';

export interface BootOptions {
  dataDir: string;
  version: string;
  /** Builds the host's platform once the data dir exists (its SecretBox keeps a key file there). */
  platform: (dataDir: string) => Platform;
  /** A workspace file already read and validated: imported instead of seeding the demo. */
  workspace?: Workspace | undefined;
  replace?: boolean | undefined;
  apiPort?: number | undefined;
  /** The embedded IdP's port; by default the one it had last time in this data dir, else any. */
  idpPort?: number | undefined;
  clock?: Clock | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface Booted {
  ctx: EngineContext;
  dispatch: Dispatch;
  urls: ServiceUrls;
  close(): Promise<void>;
}

/**
 * Starts SSO Desk's offline world, the same in the desktop app and in the browser host: the store, the
 * demo seed (or an import), and the loopback services. On any failure what was opened is closed again.
 */
export async function boot(opts: BootOptions): Promise<Booted> {
  const sink = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // One line per call, whatever an input carried: CR, LF and other controls are shown escaped.
  const log = (line: string) => sink(escapeControls(line));
  const wider = existsSync(opts.dataDir) ? tightenDataDir(opts.dataDir) : [];
  if (wider.length > 0)
    log(`warning: the data dir was readable by others; tightened to 0700/0600: ${wider.join(', ')}`);
  const store: Store = openStore(opts.dataDir);
  const checkpoints = startCheckpoints(store, undefined, (e) =>
    log(`warning: WAL checkpoints on the worker thread stopped (${e.message}); SQLite checkpoints by itself`),
  );
  const servers: Server[] = [];
  const stops: Array<() => void> = [];
  let ctxForClose: EngineContext | null = null;
  const close = async () => {
    stops.forEach((stop) => stop());
    if (ctxForClose) await closeOidcEngine(ctxForClose);
    if (ctxForClose) await closeSamlEngine(ctxForClose);
    await Promise.all(servers.map(closeServer));
    checkpoints.stop();
    store.close();
  };
  try {
    const platform = opts.platform(opts.dataDir);
    const urls: ServiceUrls = { api: null, idp: null, passthrough: null };
    const clock = opts.clock ?? systemClock;
    const ctx: EngineContext = {
      store,
      platform,
      urls,
      clock,
      version: opts.version,
      log,
      audit: (event) => void appendAudit(store.db, { ...event, at: clock.now() }),
    };
    ctxForClose = ctx;

    const api = await startApiServer(ctx, opts.apiPort ?? 0);
    servers.push(api.server);
    urls.api = api.url;

    // The demo organization's own authentication service: up before the seed, so globex points at it.
    const passthroughDemo = await startPassthroughDemo(store.db, () => authService(ctx));
    servers.push(passthroughDemo.server);
    urls.passthrough = passthroughDemo.url;
    // The embedded IdP starts before the demo seed so that the demo's OIDC config points at it.
    const idp = await startEmbeddedIdp({
      db: store.db,
      dataDir: opts.dataDir,
      log,
      port: opts.idpPort,
      gate: () => authService(ctx),
    });
    servers.push(idp.server);
    urls.idp = idp.issuer;
    if (idp.previousIssuer) repointOidcIssuer(store.db, idp.previousIssuer, idp.issuer);

    // The embedded SAML IdP, beside the OIDC one: the demo's SAML settings point at it.
    const samlIdp = await startEmbeddedSamlIdp({
      db: store.db,
      dataDir: opts.dataDir,
      log,
      gate: () => authService(ctx),
    });
    servers.push(samlIdp.server);
    if (samlIdp.previousEntityId)
      repointSamlIdp(store.db, samlIdp.previousEntityId, { entityId: samlIdp.entityId, ssoUrl: samlIdp.ssoUrl });

    if (opts.workspace) {
      await importWorkspace(store.db, platform.secrets, opts.workspace, {
        replace: opts.replace ?? false,
        actor: '--import',
      });
    } else {
      await seedDemoIfEmpty(store.db, platform.secrets, {
        idpIssuer: urls.idp ?? undefined,
        passthroughUrl: urls.passthrough ?? undefined,
        samlIdp: { entityId: samlIdp.entityId, ssoUrl: samlIdp.ssoUrl, certificate: samlIdp.certificate },
      });
    }
    const maintenance = startMaintenance(store.db, clock, log);
    stops.push(() => maintenance.stop());
    // Files made while starting (the key file, IdP state, preferences) are private too.
    tightenDataDir(opts.dataDir);
    return { ctx, dispatch: createDispatch(createHandlers(ctx), log), urls, close };
  } catch (error) {
    await close();
    throw error;
  }
}
