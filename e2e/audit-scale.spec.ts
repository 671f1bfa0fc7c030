import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { openStore } from '../src/main/store/db';
import { startHost, type RunningHost } from './host';

const EVENTS = 50_000;
let host: RunningHost;
let dir: string;

test.beforeAll(async () => {
  // A data dir whose audit log already holds 50,000 events, written with the store's own schema.
  dir = mkdtempSync(join(tmpdir(), 'sso-desk-e2e-audit-'));
  const store = openStore(dir);
  const insert = store.db.prepare(
    'INSERT INTO audit_log (at, kind, account_id, email, method, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const start = Date.now() - EVENTS * 1000;
  store.db.transaction(() => {
    for (let i = 0; i < EVENTS; i++)
      insert.run(
        start + i * 1000,
        'auth.login',
        i % 2 ? 'acme' : 'globex',
        `user${i}@scale.test`,
        'password',
        i % 3 ? 'authenticated' : 'failed',
        `event number ${i}`,
      );
  })();
  store.close();
  host = await startHost([], dir);
});
test.afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the audit list stays small in the page while scrolling through tens of thousands of events', async ({ page }) => {
  await page.goto(host.ready.console);
  await page.getByRole('tab', { name: 'Audit' }).click();
  const list = page.getByRole('list', { name: 'Audit events' });
  // (The newest row is the demo world's seed, written when the host started on this data dir.)
  await expect(list).toContainText('user49999@scale.test');
  // Only the rows in view (and a margin) are in the DOM.
  expect(await list.getByRole('button').count()).toBeLessThan(60);

  // Scrolling to the end of what is loaded asks for the next keyset page.
  for (let i = 0; i < 3; i++) {
    // The list scrolls inside its container (the virtualizer's scroll element).
    await list.evaluate((el) => (el.parentElement!.scrollTop = el.scrollHeight));
    await page.waitForTimeout(200);
  }
  await expect(page.getByText(/^(6|8)\d\d events loaded/)).toBeVisible();
  expect(await list.getByRole('button').count()).toBeLessThan(60);
  // Rows deep in the list are the right ones, newest first.
  await expect(list.getByRole('button').last()).toContainText(/user49[2-4]\d\d@scale\.test/);

  // A filter narrows the 50,000 to one event at once.
  await page.getByRole('searchbox', { name: 'Search' }).fill('user12345');
  await expect(list.getByRole('button')).toHaveCount(1);
  await expect(list).toContainText('event number 12345');
});
