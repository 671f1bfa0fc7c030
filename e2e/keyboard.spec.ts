import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

// Generous bounds, never waits: axe reads the whole page at each stop, and the machine may be busy.
test.describe.configure({ timeout: 5 * 60_000 });

/** The accessible name (or label) of the focused element, and its role. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const labelled = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
    return `${el.getAttribute('role') ?? el.tagName.toLowerCase()}:${(labelled || el.textContent || '').trim()}`;
  });

/** Presses Tab (or Shift+Tab) until the focused element matches; fails after `max` presses. */
async function tabTo(page: Page, match: RegExp, opts: { back?: boolean; max?: number } = {}): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < (opts.max ?? 80); i++) {
    const now = await focused(page);
    if (match.test(now)) return;
    seen.push(now);
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`never reached ${match} by keyboard; passed ${seen.join(' → ')}`);
}

test('a support job by keyboard only: open the Simulator, run a login, read the verdict, find it in the Audit', async ({
  homePage: page,
}) => {
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  // The first Tab reaches the skip link; it moves focus to the screen.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('tab', { name: 'Home' })).toBeFocused();
  // Arrow keys move along the screens; Enter opens one.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Settings' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Simulator' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Simulator' })).toHaveAttribute('aria-selected', 'true');

  const form = page.getByRole('form', { name: 'Replay a login' });
  await tabTo(page, /Email$/);
  await page.keyboard.type('frank@globex.test');
  await tabTo(page, /Password$/);
  await page.keyboard.type('not-franks-password-4417');
  await page.keyboard.press('Enter');
  const outcome = page.getByRole('article', { name: 'Run' }).getByRole('alert', { name: 'Outcome' });
  await expect(outcome).toContainText('did not accept the password for frank@globex.test');
  await expect(form).toBeVisible();

  // Back to the screens by Shift+Tab, then to the Audit by arrow keys.
  // One arrow at a time, as a person presses them: Radix moves the focus on a timeout after the keydown,
  // so a second key sent at once (Playwright does not wait) can still start from the first tab.
  await tabTo(page, /^tab:Simulator$/, { back: true, max: 200 });
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Inspector' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Audit' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Audit' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Audit' }).getByText('frank@globex.test').first()).toBeVisible();
});

test('by keyboard: the workspace import, the unsaved-changes question (Escape stays), Discard', async ({
  consolePage: page,
}) => {
  // Settings › General: the import is a button in the tab order.
  // The chooser is awaited from the start: Playwright turns on its interception asynchronously, and a
  // chooser opened before that never reaches the test (headless Chromium shows none).
  const chooser = page.waitForEvent('filechooser', { timeout: 60_000 });
  await page.getByRole('heading', { name: 'General', level: 1 }).click();
  await tabTo(page, /^button:Import workspace file/);
  await page.keyboard.press('Enter');
  expect((await chooser).isMultiple()).toBe(false);

  // A draft (Settings › Login protection): leaving asks first, in the app; Escape keeps the draft.
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Login protection' })
    .click();
  const field = page.getByLabel('Failures allowed before slowing down', { exact: false }).first();
  await field.focus();
  const before = await field.inputValue();
  await page.keyboard.press('End');
  await page.keyboard.type('1');
  await expect(field).not.toHaveValue(before);
  const bar = page.getByRole('region', { name: 'Unsaved changes' });
  await expect(bar).toBeVisible();
  await tabTo(page, /^tab:Settings$/, { back: true, max: 100 });
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Simulator' })).toBeFocused();
  await page.keyboard.press('Enter');
  const ask = page.getByRole('alertdialog', { name: 'Leave without saving?' });
  await expect(ask).toContainText('Login protection');
  // Focus is inside the dialog, on Stay; Escape closes it and nothing is lost.
  await expect(ask.getByRole('button', { name: 'Stay' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(ask).toBeHidden();
  await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
  await expect(bar).toBeVisible();
  // Discard, reached by Tab from the draft's own field.
  await field.focus();
  await tabTo(page, /^button:Discard$/);
  await page.keyboard.press('Enter');
  await expect(bar).toBeHidden();
  await expect(field).toHaveValue(before);
});
