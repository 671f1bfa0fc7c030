import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDispatch } from '../../src/main/engine/dispatch';
import { createHandlers } from '../../src/main/engine/handlers';
import { seedDemoIfEmpty } from '../../src/main/engine/workspace/demo';
import { putOidc, getOidc } from '../../src/main/store/sso-config';
import { findUserByEmail } from '../../src/main/store/users';
import { testContext } from '../helpers';

const contexts: Array<ReturnType<typeof testContext>> = [];
afterEach(() => contexts.splice(0).forEach((c) => c.close()));
const fresh = () => {
  const t = testContext();
  contexts.push(t);
  return { t, call: createDispatch(createHandlers(t.ctx), t.ctx.log) };
};

describe('workspace.export and workspace.import with a passphrase (the console’s channels)', () => {
  it('exports with encrypted secrets and imports them into an empty store only with the passphrase', async () => {
    const a = fresh();
    await seedDemoIfEmpty(a.t.store.db, a.t.ctx.platform.secrets, { idpIssuer: 'https://idp.example/' });
    const acme = getOidc(a.t.store.db, 'acme')!;
    putOidc(a.t.store.db, { ...acme, clientSecretEnc: a.t.ctx.platform.secrets.encrypt('the-client-secret') });

    expect(await a.call('workspace.export', { includeSecrets: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'passphrase' },
    });
    expect(await a.call('workspace.export', { includeSecrets: true, passphrase: 'short' })).toMatchObject({
      ok: false,
      error: { field: 'passphrase' },
    });
    const r = await a.call('workspace.export', { includeSecrets: true, passphrase: 'a long passphrase' });
    if (!r.ok) throw new Error(r.error.message);
    const out = r.value as { secrets: string; delivery: { kind: string; url: string } };
    expect(out.secrets).toBe('encrypted');
    const text = readFileSync(fileURLToPath(out.delivery.url), 'utf8');
    expect(text).not.toContain('the-client-secret');

    const b = fresh();
    expect(await b.call('workspace.import', { text })).toMatchObject({
      ok: false,
      error: { code: 'passphrase_required', field: 'passphrase' },
    });
    expect(await b.call('workspace.import', { text, passphrase: 'wrong passphrase' })).toMatchObject({
      ok: false,
      error: { code: 'passphrase_wrong' },
    });
    expect(findUserByEmail(b.t.store.db, 'ann@acme.test')).toBeUndefined();
    const imported = await b.call('workspace.import', { text, passphrase: 'a long passphrase' });
    expect(imported).toMatchObject({ ok: true, value: { accounts: 2, users: 6, memberships: 7, bots: 2 } });
    expect(b.t.ctx.platform.secrets.decrypt(getOidc(b.t.store.db, 'acme')!.clientSecretEnc!)).toBe('the-client-secret');
    expect(findUserByEmail(b.t.store.db, 'ann@acme.test')!.passwordHash).toBe(
      findUserByEmail(a.t.store.db, 'ann@acme.test')!.passwordHash,
    );
  }, 60_000);
});
