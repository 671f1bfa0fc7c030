import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, post, start, world, type Keys, type Running, type TestClock } from './harness';
import { SECTIONS } from '../../src/shared/sections';

let run: Running;
let keys: Keys;
let clock: TestClock;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ run, keys, clock, cleanup } = await world());
});
afterAll(() => cleanup());

async function issue(
  email: string,
  bot: 'helpdesk' | 'sales-bot' = 'helpdesk',
): Promise<{ Home: string; Token: string }> {
  const body =
    bot === 'helpdesk'
      ? { AccountAPIKey: keys.acme, BotAPIKey: keys.helpdesk.key, BotAPISecret: keys.helpdesk.secret, Email: email }
      : { AccountAPIKey: keys.globex, BotAPIKey: keys.salesBot.key, BotAPISecret: keys.salesBot.secret, Email: email };
  const res = await post(`${run.api}/authorization/sso`, body);
  expect(res.status).toBe(200);
  return (await res.json()) as { Home: string; Token: string };
}

const open = async (url: string, cookie?: string) => {
  const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { res, html: await res.text() };
};
const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');

describe('GET /auth/sso/<token>', () => {
  it('signs the user in with an http-only SameSite=Strict cookie and lands on the bot’s workspace', async () => {
    const { Home } = await issue('ann@acme.test');
    const { res, html } = await open(Home);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sso_desk_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const t = text(html);
    expect(t).toContain('Helpdesk workspace');
    expect(t).toContain('Signed in as Ann Lee (ann@acme.test)');
    expect(t).toContain('Bot Helpdesk · Acme Corp');
    expect(t).toContain('Section Workspace');
    expect(t).toContain('Standing owner');
    expect(t).toContain('Session new');
    expect(html).toContain('<header>'); // Acme is not embeddable
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    // The same browser coming back resumes its session instead of starting another.
    const again = await open(`${Home}/analytics`, cookie.split(';')[0]);
    expect(again.res.status).toBe(200);
    expect(again.res.headers.get('set-cookie')).toBeNull();
    expect(text(again.html)).toContain('Session resumed');
  });

  it('serves an embeddable account’s pages without the header, framable', async () => {
    const { Home } = await issue('frank@globex.test', 'sales-bot');
    const { res, html } = await open(`${Home}/design`);
    expect(res.status).toBe(200);
    expect(html).not.toContain('<header>');
    expect(text(html)).toContain('Signed in as Frank Otto (frank@globex.test)');
    expect(text(html)).toContain('Section Design');
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
  });

  // Expected from the section table: owner anything; admin ≥ everything; editor ≥ design; operator ≥ conversation.
  const who = [
    ['ann@acme.test', 'owner', 99],
    ['bob@acme.test', 'admin', 4],
    ['carol@acme.test', 'operator', 2],
    ['dana@example.test', 'viewer', 1],
  ] as const;
  const rank = { viewer: 1, operator: 2, editor: 3, admin: 4 } as const;
  for (const [email, level, r] of who) {
    it(`opens exactly the sections a ${level} may open (${email})`, async () => {
      const { Home } = await issue(email);
      for (const s of SECTIONS) {
        const { res, html } = await open(s.id === 'home' ? Home : `${Home}/${s.id}`);
        const allowed = r >= rank[s.minLevel];
        expect({ section: s.id, status: res.status }).toEqual({ section: s.id, status: allowed ? 200 : 403 });
        if (allowed) expect(text(html)).toContain(`Section ${s.label}`);
        else expect(text(html)).toContain(`${s.label} needs team level ${s.minLevel} or higher`);
      }
    });
  }

  it('an editor reaches design but not settings, and is told which level settings needs', async () => {
    const { Home } = await issue('frank@globex.test', 'sales-bot');
    expect((await open(`${Home}/design`)).res.status).toBe(200);
    const { res, html } = await open(`${Home}/settings`);
    expect(res.status).toBe(403);
    expect(text(html)).toContain(
      "Settings needs team level admin or higher or being the bot's owner; frank@globex.test is editor on the team of Sales Bot.",
    );
  });

  it('404s an unknown section and unknown deeper paths', async () => {
    const { Home } = await issue('ann@acme.test');
    const { res, html } = await open(`${Home}/billing`);
    expect(res.status).toBe(404);
    expect(text(html)).toContain('There is no section "billing"');
    expect((await fetch(`${Home}/design/extra`)).status).toBe(404);
  });

  it('gives an unknown token a 401 page that says so', async () => {
    const { res, html } = await open(`${run.api}/auth/sso/${'A'.repeat(43)}`);
    expect(res.status).toBe(401);
    expect(text(html)).toContain('Unknown sign-in link');
    expect(text(html)).toContain('not known');
  });

  it('expires a token after 60 minutes (injected clock), with a 401 page that says so', async () => {
    const { Home } = await issue('carol@acme.test');
    clock.advance(59 * 60_000 + 59_000);
    expect((await open(Home)).res.status).toBe(200);
    clock.advance(1_000);
    const { res, html } = await open(Home);
    expect(res.status).toBe(401);
    expect(text(html)).toContain('Sign-in link expired');
    expect(text(html)).toContain('links work for 60 minutes');
  });

  it('logout revokes the token and ends the session; the link then reads as revoked', async () => {
    const { Home } = await issue('bob@acme.test');
    const first = await open(Home);
    const cookie = first.res.headers.get('set-cookie')!.split(';')[0]!;
    const out = await open(`${Home}/logout`, cookie);
    expect(out.res.status).toBe(200);
    expect(out.res.headers.get('set-cookie')).toBe('sso_desk_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(text(out.html)).toContain('Bob Stone (bob@acme.test) is signed out of Helpdesk');
    const after = await open(Home, cookie);
    expect(after.res.status).toBe(401);
    expect(text(after.html)).toContain('Sign-in link revoked');
    const again = await open(`${Home}/logout`);
    expect(again.res.status).toBe(401);
    const kinds = run.store.db
      .prepare("SELECT kind, outcome FROM audit_events WHERE kind IN ('sso.logout','sso.token.redeem')")
      .all();
    expect(kinds).toEqual(
      expect.arrayContaining([
        { kind: 'sso.logout', outcome: 'ok' },
        { kind: 'sso.token.redeem', outcome: 'refused' },
        { kind: 'sso.token.redeem', outcome: 'ok' },
      ]),
    );
  });

  it('checks the team as it is now: a user taken off the team can no longer sign in', async () => {
    const { Home } = await issue('dana@example.test');
    run.store.db
      .prepare(
        "DELETE FROM bot_team WHERE bot_id = 'helpdesk' AND user_id = (SELECT id FROM users WHERE email = 'dana@example.test')",
      )
      .run();
    const { res, html } = await open(Home);
    expect(res.status).toBe(403);
    expect(text(html)).toContain('no longer the owner of Helpdesk nor on its team');
  });

  it('only GET: a POST to a deep link is 405', async () => {
    const { Home } = await issue('ann@acme.test');
    expect((await fetch(Home, { method: 'POST' })).status).toBe(405);
  });
});

describe('scope: an SSO token opens deep links and nothing else', () => {
  it('POST /authorization/integration + GET /bots list the account’s bots', async () => {
    const res = await post(`${run.api}/authorization/integration`, { AccountAPIKey: keys.acme });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toMatchObject({ Expires: 60, Scope: 'integration' });
    const bots = await fetch(`${run.api}/bots`, { headers: { authorization: `Bearer ${body.Token as string}` } });
    expect(bots.status).toBe(200);
    expect(await jsonOf(bots)).toEqual({
      Account: 'acme',
      Bots: [{ Id: 'helpdesk', Name: 'Helpdesk', Owner: 'ann@acme.test' }],
    });
  });

  it('GET /bots with an SSO token is 401', async () => {
    const { Token } = await issue('ann@acme.test');
    const res = await fetch(`${run.api}/bots`, { headers: { authorization: `Bearer ${Token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="platform", error="insufficient_scope"');
    expect(await jsonOf(res)).toEqual({
      error: { code: 'wrong_scope', message: expect.stringContaining('scope "sso"') },
    });
  });

  it('GET /bots without a token, with an unknown one, or an expired one is 401', async () => {
    expect((await fetch(`${run.api}/bots`)).status).toBe(401);
    expect((await fetch(`${run.api}/bots`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const body = await jsonOf(await post(`${run.api}/authorization/integration`, { AccountAPIKey: keys.globex }));
    clock.advance(60 * 60_000);
    const res = await fetch(`${run.api}/bots`, { headers: { authorization: `Bearer ${body.Token as string}` } });
    expect(res.status).toBe(401);
    expect((await jsonOf(res)).error).toMatchObject({ code: 'token_expired' });
  });

  it('an integration token does not open a deep link', async () => {
    const body = await jsonOf(await post(`${run.api}/authorization/integration`, { AccountAPIKey: keys.acme }));
    const { res, html } = await open(`${run.api}/auth/sso/${body.Token as string}`);
    expect(res.status).toBe(401);
    expect(text(html)).toContain('Not a sign-in link');
  });

  it('POST /authorization/integration: 404 for a wrong key, 400 for a bad body', async () => {
    expect((await post(`${run.api}/authorization/integration`, { AccountAPIKey: 'acc_nope' })).status).toBe(404);
    expect((await post(`${run.api}/authorization/integration`, { AccountAPIKey: 7 })).status).toBe(400);
  });
});

describe('restart', () => {
  it('keeps an issued token valid after the app closes and reopens the same data dir', async () => {
    const { Home, Token } = await issue('carol@acme.test');
    await run.stop();
    run = await start(run.dir, clock);
    const moved = `${run.api}/auth/sso/${Token}`; // a new port: the API listens on :0 here
    const { res, html } = await open(moved);
    expect(res.status).toBe(200);
    expect(text(html)).toContain('Signed in as Carol Diaz');
    expect(Home).toContain(Token);
  });
});
