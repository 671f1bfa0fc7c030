import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';

/**
 * Issue 24 §5: the theme applies at once; messages and the save bar never cover controls or the focused
 * field; every focus stop on Home is visible.
 */

const box = async (l: Locator) => (await l.boundingBox())!;
const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** What has the focus: visible (a box of its own, not hidden, not transparent) and inside the window. */
async function focusedIsVisible(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const label = `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`;
    const visible =
      el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
      r.width >= 1 &&
      r.height >= 1 &&
      r.bottom > 0 &&
      r.right > 0 &&
      r.top < window.innerHeight &&
      r.left < window.innerWidth;
    return visible ? '' : label;
  });
}

test('the theme applies at once, with no Save, and is kept across a reload', async ({ consolePage: page }) => {
  const theme = page.getByLabel('Theme');
  const next = (await theme.inputValue()) === 'dark' ? 'light' : 'dark';
  await theme.selectOption(next);
  await expect(page.locator('html')).toHaveAttribute('data-theme', next);
  await expect(page.getByRole('region', { name: 'Unsaved changes' })).toHaveCount(0);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', next);
});

test('Tab on Home never stops on an invisible element', async ({ homePage: page }) => {
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  const hidden: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const bad = await focusedIsVisible(page);
    if (bad) hidden.push(bad);
  }
  expect(hidden).toEqual([]);
});

test('the save bar never covers the focused field, and a message never covers Save or Discard', async ({
  consolePage: page,
}) => {
  await page.setViewportSize({ width: 1024, height: 600 });
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Login protection' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Login protection' })).toBeVisible();
  const fields = page.locator('input[inputmode="decimal"]');
  await fields.first().fill('4');
  const bar = page.getByRole('region', { name: 'Unsaved changes' });
  await expect(bar).toBeVisible();
  // Tab through every field with the bar up: each focused field is clear of the bar.
  const n = await fields.count();
  for (let i = 0; i < n; i++) {
    await fields.nth(i).focus();
    await page.waitForTimeout(50);
    expect(overlap(await box(fields.nth(i)), await box(bar)), `field ${i} under the save bar`).toBe(false);
  }
  // Save: the message that says so sits clear of the bar's buttons when the next edit brings the bar back.
  await bar.getByRole('button', { name: 'Save' }).click();
  await expect(bar).toBeHidden();
  await fields.first().fill('5');
  await expect(bar).toBeVisible();
  const toasts = page.locator('.toast');
  for (let i = 0; i < (await toasts.count()); i++) {
    for (const name of ['Save', 'Discard']) {
      const button = bar.getByRole('button', { name });
      expect(overlap(await box(toasts.nth(i)), await box(button)), `a message over ${name}`).toBe(false);
    }
  }
  await bar.getByRole('button', { name: 'Discard' }).click();
});
