import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/** Serious and critical axe-core violations on the page as it is now (WCAG 2 A/AA rules and best practices). */
async function axe(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 4)
          .join(' | ')}`,
    );
  expect(bad, where).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`Simulator, Audit, Inspector and Keys pass axe-core in their main states (${scheme})`, async ({
    consolePage: page,
  }) => {
    // Eight axe runs on a shared, loaded machine: give it room (no assertion depends on speed).
    test.setTimeout(300_000);
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);

    // Simulator: the form, then an amber verdict (a choice) with its timeline and the recent runs.
    await page.getByRole('tab', { name: 'Simulator' }).click();
    const form = page.getByRole('form', { name: 'Replay a login' });
    await axe(page, `Simulator form (${scheme})`);
    await form.getByRole('tab', { name: 'Password' }).click();
    await form.getByLabel('Email').fill('dana@example.test');
    await form.getByRole('textbox', { name: 'Password', exact: true }).fill('not-her-password');
    await form.getByRole('button', { name: 'Run' }).click();
    const run = page.getByRole('article', { name: 'Run' });
    await expect(run.getByLabel('Verdict')).toContainText('Needs a choice');
    // Focus moved to the answer.
    await expect(run.getByLabel('Verdict')).toBeFocused();
    await run.getByRole('button', { name: /^Go to the step that decided it/ }).click();
    await expect(run.getByRole('list', { name: 'Timeline' }).locator('li:focus')).toHaveCount(1);
    await axe(page, `Simulator run (${scheme})`);
    // UPDATE_DOCS_IMG=1 refreshes the pictures in docs/ (light theme only).
    const shoot = (name: string) =>
      process.env.UPDATE_DOCS_IMG && scheme === 'light' ? page.screenshot({ path: `docs/img/${name}.png` }) : undefined;
    await shoot('simulator-choice');

    // The run is kept when another screen is visited.
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.getByRole('tab', { name: 'Simulator' }).click();
    await expect(page.getByRole('list', { name: 'Recent runs' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('article', { name: 'Run' }).getByLabel('Verdict')).toContainText('Needs a choice');

    // Audit: the list, then an event's detail beside it.
    await page.getByRole('tab', { name: 'Audit' }).click();
    const list = page.getByRole('list', { name: 'Audit events' });
    await expect(list.getByRole('button').first()).toBeVisible();
    await axe(page, `Audit list (${scheme})`);
    await list.getByRole('button', { name: /auth\.login dana@example\.test/ }).click();
    const detail = page.getByRole('article', { name: 'Audit event detail' });
    await expect(detail).toBeFocused();
    await expect(detail.getByRole('list', { name: 'Timeline' })).toBeVisible();
    // Beside the list, not below it.
    const [l, d] = [await list.boundingBox(), await detail.boundingBox()];
    expect(d!.x).toBeGreaterThan(l!.x + l!.width - 1);
    expect(d!.y).toBeLessThan(l!.y + l!.height);
    await axe(page, `Audit detail (${scheme})`);
    await shoot('audit');

    // Inspector › Tokens: decoded as pasted, no click.
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await axe(page, `Inspector empty (${scheme})`);
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: 'https://idp.example', sub: 'u1', aud: 'client-1' })).toString(
      'base64url',
    );
    await page.getByRole('textbox', { name: 'Token', exact: true }).fill(`${header}.${payload}`);
    await expect(page.getByLabel('Token kind')).toContainText('signature is missing: cut off when copied?');
    await axe(page, `Inspector result (${scheme})`);

    // Keys: the grouped tables, then the confirmation dialog.
    await page.getByRole('tab', { name: 'Keys' }).click();
    await expect(page.getByRole('table', { name: 'Acme Corp API keys' })).toBeVisible();
    await axe(page, `Keys (${scheme})`);
    await page.getByRole('button', { name: 'Rotate Acme Corp AccountAPIKey' }).click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await axe(page, `Keys confirmation (${scheme})`);
    await shoot('keys-rotate');
    await page.keyboard.press('Escape');
  });
}

test('Inspector › Tokens decodes as you paste, shows plain text and the raw JSON, and says why Inspect is disabled', async ({
  consolePage: page,
}) => {
  await page.getByRole('tab', { name: 'Inspector' }).click();
  const inspect = page.getByRole('button', { name: 'Inspect' });
  await expect(inspect).toBeDisabled();
  await expect(page.getByText('Paste a token to decode it.')).toBeVisible();

  // RFC 8037 A.4: an Ed25519 JWS whose payload is plain text. Pasted, not clicked.
  const token =
    'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';
  await page.getByRole('textbox', { name: 'Token', exact: true }).fill(token);
  await expect(page.getByLabel('Token kind')).toContainText('payload is text, not a JSON claims set');
  await expect(page.getByLabel('Payload text')).toHaveText('Example of Ed25519 signing');
  // The key box is empty: Inspect says why it waits, the decoding is already there.
  await expect(inspect).toBeDisabled();
  await expect(page.getByText('Paste the JWKS to verify with, or choose “Don’t verify”.')).toBeVisible();
  await page.getByRole('radio', { name: 'Paste PEM or JWK' }).check();
  await page
    .getByRole('textbox', { name: 'PEM or JWK' })
    .fill(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }));
  await expect(page.getByRole('status', { name: 'Verification' })).toContainText('Verified');
  await page.getByText('Raw JSON', { exact: true }).click();
  await expect(page.getByLabel('Raw JSON', { exact: true })).toContainText('"payload": "Example of Ed25519 signing"');
  await expect(page.getByLabel('Raw JSON', { exact: true })).toContainText('"alg": "EdDSA"');
});
