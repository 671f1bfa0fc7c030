import { test as base, expect } from '@playwright/test';
import { startHost, type RunningHost } from './host';

/**
 * `host`: a fresh browser host on a temp data dir (demo world seeded), stopped after the test.
 * `consolePage`: a page opened on the console URL (key in the fragment), app loaded.
 */
export const test = base.extend<{
  host: RunningHost;
  consolePage: import('@playwright/test').Page;
  homePage: import('@playwright/test').Page;
}>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await host.stop();
  },
  /** The console as it opens: on Home. */
  homePage: async ({ page, host }, use) => {
    await page.goto(host.ready.console);
    await expect(page.getByRole('status', { name: 'Status' })).toContainText('Store healthy');
    await use(page);
  },
  consolePage: async ({ page, host }, use) => {
    await page.goto(host.ready.console);
    await expect(page.getByRole('status', { name: 'Status' })).toContainText('Store healthy');
    // The console opens on Home; the specs written before Home start from Settings.
    await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'General', level: 1 })).toBeVisible();
    await use(page);
  },
});

export { expect };
