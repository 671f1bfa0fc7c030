import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../src/main/engine/dispatch';
import { createHandlers } from '../../../src/main/engine/handlers';
import { testContext } from '../../helpers';
import { makeKey, signToken, T0 } from './keys';

let t: ReturnType<typeof testContext>;
beforeEach(() => (t = testContext()));
afterEach(() => t.close());

describe('inspect.token channel', () => {
  it('is wired through dispatch and checks times against the engine clock', async () => {
    const key = await makeKey('RS256', 'k1');
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    const token = await signToken(key);
    const jwks = JSON.stringify({ keys: [key.publicJwk] });
    const r = await dispatch('inspect.token', { token, key: { source: 'jwks', jwks } });
    expect(r).toMatchObject({ ok: true, value: { kind: 'jwt', checkedAt: T0, verification: { status: 'verified' } } });
    // An hour later by the engine clock the same token has expired.
    t.clock.t = T0 + 3600_000;
    const later = await dispatch('inspect.token', { token, key: { source: 'jwks', jwks } });
    expect(later).toMatchObject({
      ok: true,
      value: { verification: { status: 'failed', reason: 'Expired at 2026-11-25T10:10:00.000Z, 50 min ago.' } },
    });
    // `now` in the input wins (tests, "what did it look like then").
    const then = await dispatch('inspect.token', { token, key: { source: 'jwks', jwks }, now: T0 });
    expect(then).toMatchObject({ ok: true, value: { verification: { status: 'verified' } } });
  });

  it('refuses bad input with a typed error naming the field, never an internal error', async () => {
    const dispatch = createDispatch(createHandlers(t.ctx), t.ctx.log);
    expect(await dispatch('inspect.token', { token: '' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'token' },
    });
    expect(await dispatch('inspect.token', { token: '   \n ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'token', message: 'token: paste a token' },
    });
    expect(await dispatch('inspect.token', { token: 'x'.repeat(64 * 1024 + 1) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'token' },
    });
    expect(await dispatch('inspect.token', { token: 'abc', key: { source: 'magic' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(
      await dispatch('inspect.token', { token: 'abc', key: { source: 'pem', pem: 'x', alg: 'HS256' } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'key.alg' } });
    expect(await dispatch('inspect.token', { token: 'abc', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await dispatch('inspect.token', undefined)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Garbage of every shape is an answer, not a crash.
    for (const token of [
      '.',
      '..',
      '....',
      'a.b.',
      '.e30.',
      'eyJhbGciOiJSUzI1NiJ9.e30.!!!',
      'eyJhbGciOiJSUzI1NiJ9.W10.x',
    ]) {
      const r = await dispatch('inspect.token', { token, key: { source: 'pem', pem: 'nope' } });
      expect(r.ok, token).toBe(true);
    }
    expect(t.logs.filter((l) => l.includes('internal error'))).toEqual([]);
  });
});
