import path from 'node:path';
import { expect, test } from '@playwright/test';

const EMAIL = process.env.TANDEM_E2E_EMAIL ?? 'analyst@demo.test';
const PASSWORD = process.env.TANDEM_E2E_PASSWORD ?? 'tandem-demo';

const REASONING = 'E2E: income verified, affordability within policy, no adverse history found.';
const JUSTIFICATION =
  'E2E: overriding the model because the applicant documented a stable new contract and savings that the model does not see.';

test('analyst signs in, picks the next case, reviews it and records a decision', async ({ page }, testInfo) => {
  const shot = (name: string) => path.join(testInfo.project.outputDir, `workbench-${name}.png`);

  // 1. Sign in.
  await page.goto('/');
  await page.getByTestId('login-email').fill(EMAIL);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('current-user')).toBeVisible();

  // 2. The queue loads and the subscription goes live.
  await expect(page.getByTestId('queue-row').first()).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await page.screenshot({ path: shot('queue'), fullPage: true });

  // 3. Pick the next case; it opens in the case view.
  await page.getByTestId('pick-next').click();
  await expect(page.getByTestId('case-view')).toBeVisible();
  await expect(page).toHaveURL(/#\/case\//);
  const entryPanel = page.getByTestId('queue-entry-panel');
  await expect(entryPanel).toHaveAttribute('data-status', /^(ASSIGNED|IN_PROGRESS)$/);

  // 4. Start the review (a case left in progress by an earlier run is already started).
  if ((await entryPanel.getAttribute('data-status')) === 'ASSIGNED') {
    await page.getByTestId('start-review').click();
  }
  await expect(entryPanel).toHaveAttribute('data-status', 'IN_PROGRESS');
  await expect(page.getByTestId('submit-decision')).toBeEnabled();

  // 5. Decide: approve, justifying the override if the model recommended declining.
  const form = page.getByTestId('decision-form');
  await form.getByTestId('decision-outcome').selectOption('APPROVED');
  await form.getByTestId('decision-reasoning').fill(REASONING);
  const justification = form.getByTestId('override-justification');
  const isOverride = await justification.isVisible();
  if (isOverride) await justification.fill(JUSTIFICATION);
  await page.screenshot({ path: shot('case'), fullPage: true });
  await form.getByTestId('submit-decision').click();

  // 6. Back on the queue with the decision shown.
  const result = page.getByTestId('decision-result');
  await expect(result).toBeVisible();
  await expect(result).toHaveAttribute('data-outcome', 'APPROVED');
  if (isOverride) await expect(result).toContainText(/override/i);
  await expect(page).toHaveURL(/#\/queue$/);
  await page.screenshot({ path: shot('decided'), fullPage: true });
});
