import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startWorld, type World } from './helpers';
import { ssoFlowsFor } from '../../src/main/engine/sso-flows';

/*
 * The loopback listener is where the browser brings whatever the IdP (or anybody) put in the redirect:
 * any query, any method, gets a page below 500, and the sign-in ends with a reason in words or waits on.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

describe('the OIDC loopback callback under arbitrary input', () => {
  it('any query on /callback gets a page below 500; the flow then says why it ended (or still waits)', async () => {
    const flows = ssoFlowsFor(world.booted.ctx);
    const value = fc.oneof(fc.string(), fc.webSegment(), fc.constant(''), fc.string({ maxLength: 3000 }));
    const query = fc.record(
      {
        code: value,
        state: fc.oneof(value, fc.constant('__state__')),
        iss: fc.oneof(value, fc.webUrl()),
        error: fc.oneof(value, fc.constantFrom('access_denied', 'login_required', 'interaction_required')),
        error_description: value,
        session_state: value,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom('GET', 'POST', 'HEAD'), async (q, method) => {
        const start = await flows.start('ann@acme.test', 'acme');
        const auth = new URL(start.authorizationUrl);
        const redirect = new URL(auth.searchParams.get('redirect_uri')!);
        const params = new URLSearchParams(
          Object.entries(q).map(([k, v]) => [k, v === '__state__' ? auth.searchParams.get('state')! : v]),
        );
        const res = await fetch(`${redirect.href}?${params}`, { method });
        expect(res.status).toBeLessThan(500);
        if (method !== 'HEAD') expect(await res.text()).toMatch(/<title>/);
        const status = flows.status(start.flowId);
        if (status.state === 'failed') expect(status.error?.message).toBeTruthy();
        else expect(['waiting', 'exchanging', 'signed_in']).toContain(status.state);
      }),
      { numRuns: 40 },
    );
  }, 90_000);
});
