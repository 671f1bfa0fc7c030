import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Handlers } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { DeskError } from '../../src/shared/errors';
import { testContext } from '../helpers';

let t: ReturnType<typeof testContext>;
beforeEach(() => (t = testContext()));
afterEach(() => t.close());

describe('dispatch', () => {
  it('answers app.info with version, data dir, schema version and row counts', async () => {
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    const r = await dispatch('app.info', undefined);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      version: '0.0.0-test',
      dataDir: t.dir,
      schemaVersion: t.store.schemaVersion,
      storeHealthy: true,
    });
    expect((r.value as { counts: Record<string, number> }).counts).toMatchObject({
      accounts: 0,
      users: 0,
      audit_events: 0,
    });
  });

  it('refuses an unknown channel and invalid input with a typed error naming the field', async () => {
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    expect(await dispatch('app.nope', undefined)).toEqual({
      ok: false,
      error: { code: 'unknown_channel', message: 'no such channel: app.nope' },
    });
    const r = await dispatch('app.prefs.set', { theme: 'neon' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'theme' } });
    const extra = await dispatch('app.prefs.set', { theme: 'dark', evil: true });
    expect(extra.ok).toBe(false);
  });

  it('maps a DeskError to its code and hides anything else behind a generic message, stack in the log only', async () => {
    const handlers = createHandlers(t.ctx);
    const failing: Handlers = {
      ...handlers,
      'app.info': () => {
        throw new DeskError('store_locked', 'the store is locked');
      },
      'app.prefs.get': () => {
        throw new TypeError('secret internals at /home/x/file.ts:12');
      },
    };
    const dispatch = createDispatch(failing, t.ctx.log);
    expect(await dispatch('app.info', undefined)).toEqual({
      ok: false,
      error: { code: 'store_locked', message: 'the store is locked' },
    });
    const r = await dispatch('app.prefs.get', undefined);
    expect(r).toEqual({
      ok: false,
      error: { code: 'internal', message: 'app.prefs.get failed unexpectedly; details are in the log' },
    });
    expect(JSON.stringify(r)).not.toContain('secret internals');
    expect(t.logs.join('\n')).toContain('secret internals');
  });

  it('strips fields a handler returns beyond the output schema', async () => {
    const handlers = createHandlers(t.ctx);
    const leaky: Handlers = {
      ...handlers,
      'app.prefs.get': () => ({ theme: 'dark', lastAccount: null, clientSecret: 'oops' }) as never,
    };
    const r = await createDispatch(leaky, t.ctx.log)('app.prefs.get', undefined);
    expect(r).toEqual({ ok: true, value: { theme: 'dark', lastAccount: null } });
  });

  it('refuses to start with a channel that has no handler', () => {
    const handlers = createHandlers(t.ctx) as Partial<Handlers>;
    delete handlers['app.info'];
    expect(() => createDispatch(handlers as Handlers, t.ctx.log)).toThrow('no handler for channel app.info');
  });

  it('keeps preferences in a JSON file in the data dir across restarts', async () => {
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    await dispatch('app.prefs.set', { theme: 'dark', lastAccount: 'acme' });
    const { filePrefs } = await import('../../src/main/host/prefs-file');
    expect(filePrefs(t.dir).get()).toMatchObject({ theme: 'dark', lastAccount: 'acme' });
  });
});
