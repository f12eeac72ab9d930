import path from 'node:path';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';

const EMAIL = process.env.TANDEM_E2E_EMAIL ?? 'analyst@demo.test';
const PASSWORD = process.env.TANDEM_E2E_PASSWORD ?? 'tandem-demo';

const REASONING = 'E2E: income verified, affordability within policy, no adverse history found.';
const JUSTIFICATION = 'E2E: overriding the model because the applicant documented a stable new contract and savings that the model does not see.';

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

// Scores far below the auto-approve threshold, but above the demo tenant's 20,000 automatic-decision
// limit: the model recommends APPROVE and a human must decide, so declining it is an override.
const strongApplication = (externalId: string) => ({
  externalId,
  applicant: {
    firstName: 'Olga',
    lastName: 'Berg',
    email: 'olga.berg@example.com',
    dateOfBirth: '1975-05-02',
    maritalStatus: 'MARRIED',
    housing: 'OWNER',
    employment: { type: 'FIXED', yearsEmployed: 20 },
  },
  financials: { monthlyIncome: '9000.00', monthlyExpenses: 1500, assets: 150000, debt: 0, pastArrears: false },
  loan: { amount: 25000, termMonths: 48, purpose: 'CAR', goodsPrice: 30000, currency: 'EUR' },
});

const DECLINE_REASONING = 'E2E: the collateral valuation came back far below the goods price; exposure too high.';
const DECLINE_JUSTIFICATION = 'E2E: the model approves, but the vehicle valuation is 40% under the goods price and the model does not see collateral.';

async function signIn(page: Page, email: string) {
  await page.goto('/');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** The demo partner's bearer header, from client credentials at the gateway. */
async function partnerHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  const tokenResponse = await request.post('/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: 'demo-partner', client_secret: 'tandem-demo-secret' },
  });
  expect(tokenResponse.ok()).toBe(true);
  return { authorization: `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}` };
}

/** Submits a strong application as the partner; returns its id. */
async function submitStrongApplication(request: APIRequestContext, partner: Record<string, string>, prefix: string): Promise<string> {
  const submitted = await request.post('/graphql', {
    headers: partner,
    data: {
      query: 'mutation Submit($i: SubmitApplicationInput!) { submitApplication(input: $i) { application { id } } }',
      variables: { i: strongApplication(`${prefix}-${Date.now().toString(36)}`) },
    },
  });
  const body = (await submitted.json()) as { data?: { submitApplication: { application: { id: string } } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data?.submitApplication.application.id as string;
}

/** Opens the case once scoring and queueing (events, after submission) have put it in the queue, takes it and starts the review. */
async function takeAndStartCase(page: Page, applicationId: string) {
  await page.goto(`/#/case/${applicationId}`);
  const entryPanel = page.getByTestId('queue-entry-panel');
  await expect(async () => {
    await page.reload();
    await expect(entryPanel).toHaveAttribute('data-status', 'PENDING', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await page.getByTestId('assign-case').click();
  await expect(entryPanel).toHaveAttribute('data-status', 'ASSIGNED');
  await page.getByTestId('start-review').click();
  await expect(entryPanel).toHaveAttribute('data-status', 'IN_PROGRESS');
}

/** Submits the decision form. The decisions subgraph hears of the started review through an event: a first submit may be told to retry. */
async function submitDecisionWhenCaseKnown(page: Page) {
  const form = page.getByTestId('decision-form');
  await expect(async () => {
    if (await form.getByTestId('decision-error').isVisible()) await expect(form.getByTestId('decision-error')).toHaveAttribute('data-code', 'CONFLICT');
    await form.getByTestId('submit-decision').click();
    await expect(page.getByTestId('decision-result')).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
}

test('an analyst overrides the model and a senior approves the override', async ({ browser, request }, testInfo) => {
  const shot = (name: string) => path.join(testInfo.project.outputDir, `workbench-${name}.png`);

  // 1. A partner submits the application through the public API.
  const applicationId = await submitStrongApplication(request, await partnerHeaders(request), 'e2e-override');

  // 2. The analyst opens the case once it is queued, takes it and starts the review.
  const analystContext = await browser.newContext();
  const analyst = await analystContext.newPage();
  await signIn(analyst, EMAIL);
  await takeAndStartCase(analyst, applicationId);
  await expect(analyst.getByTestId('scoring-panel')).toContainText('Approve');

  // 3. Declining what the model approves is an override: the reason codes and a justification are shown and required.
  const form = analyst.getByTestId('decision-form');
  await form.getByTestId('decision-outcome').selectOption('DECLINED');
  await expect(form.getByTestId('decline-reason-codes')).toBeVisible();
  await expect(form.getByTestId('override-section')).toBeVisible();
  await form.getByTestId('decision-reasoning').fill(DECLINE_REASONING);
  await form.getByTestId('override-justification').fill(DECLINE_JUSTIFICATION);
  await analyst.evaluate(() => window.scrollTo(0, 0));
  await analyst.screenshot({ path: shot('override-decision'), fullPage: true });
  await submitDecisionWhenCaseKnown(analyst);
  await expect(analyst.getByTestId('decision-result')).toHaveAttribute('data-outcome', 'DECLINED');
  await expect(analyst.getByTestId('decision-override-status')).toHaveText('awaiting senior approval');
  // Analysts have no overrides screen.
  await expect(analyst.getByTestId('nav-overrides')).toHaveCount(0);

  // 4. The senior sees it in pending overrides and approves it.
  const seniorContext = await browser.newContext();
  const senior = await seniorContext.newPage();
  await signIn(senior, 'senior@demo.test');
  await senior.getByTestId('nav-overrides').click();
  const row = senior.locator(`[data-testid="override-row"][data-application-id="${applicationId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('Olga Berg');
  await expect(row.getByTestId('override-direction')).toHaveText('Declines what the model would approve');
  await expect(row.getByTestId('override-justification-text')).toContainText(DECLINE_JUSTIFICATION);
  await senior.screenshot({ path: shot('pending-overrides'), fullPage: true });
  await row.getByTestId('approve-override').click();
  await expect(senior.getByTestId('overrides-notice')).toContainText('Override approved: Olga Berg is declined');
  await expect(row).toHaveCount(0);

  // 5. The case now shows the override approved by the senior.
  await senior.goto(`/#/case/${applicationId}`);
  const decisionRow = senior.getByTestId('decision-row').last();
  await expect(decisionRow).toHaveAttribute('data-outcome', 'DECLINED');
  await expect(decisionRow.getByTestId('decision-override')).toContainText('Approved');
  await expect(decisionRow.getByTestId('decision-override')).toContainText('Sam Senior');
  await senior.screenshot({ path: shot('override-approved'), fullPage: true });

  await analystContext.close();
  await seniorContext.close();
});

test('an analyst sees the reduced terms and their instalment quoted, then approves with them', async ({ page }, testInfo) => {
  await signIn(page, 'analyst2@demo.test');
  await page.getByTestId('pick-next').click();
  const entryPanel = page.getByTestId('queue-entry-panel');
  await expect(entryPanel).toHaveAttribute('data-status', /^(ASSIGNED|IN_PROGRESS)$/);
  if ((await entryPanel.getAttribute('data-status')) === 'ASSIGNED') await page.getByTestId('start-review').click();
  await expect(entryPanel).toHaveAttribute('data-status', 'IN_PROGRESS');

  const form = page.getByTestId('decision-form');
  await form.getByTestId('decision-outcome').selectOption('APPROVED_WITH_CONDITIONS');
  await form.getByTestId('add-condition').click();
  const row = form.getByTestId('condition-row').first();
  await row.getByTestId('condition-kind').selectOption('REDUCED_AMOUNT');
  // Every demo application asks for more than 1,000.
  await row.getByTestId('condition-amount').fill('1000');

  // Quoted by the server through the gateway (a trusted document), before anything is sent.
  const preview = form.getByTestId('terms-preview');
  await expect(preview).toContainText(/1,000.*instalment.*\/month/);
  await page.screenshot({ path: path.join(testInfo.project.outputDir, 'workbench-terms-preview.png'), fullPage: true });
  const quoted = /instalment\s*([^/]+)\/month/.exec((await preview.textContent()) ?? '')?.[1]?.trim();
  expect(quoted).toBeTruthy();

  await form.getByTestId('decision-reasoning').fill(REASONING);
  const justification = form.getByTestId('override-justification');
  if (await justification.isVisible()) await justification.fill(JUSTIFICATION);
  await form.getByTestId('submit-decision').click();
  const result = page.getByTestId('decision-result');
  await expect(result).toHaveAttribute('data-outcome', 'APPROVED_WITH_CONDITIONS');
  // The decision quotes what the preview said.
  await expect(page.getByTestId('decision-result-terms')).toContainText(quoted!);
});

test('an analyst requests documents; the partner answers one item and the case shows which came and which did not', async ({ page, request }, testInfo) => {
  // 1. A partner submits the application; the analyst takes it and starts the review.
  const partner = await partnerHeaders(request);
  const applicationId = await submitStrongApplication(request, partner, 'e2e-documents');
  await signIn(page, EMAIL);
  await takeAndStartCase(page, applicationId);

  // 2. Ask for two documents.
  const form = page.getByTestId('decision-form');
  await form.getByTestId('decision-outcome').selectOption('DOCUMENTS_REQUESTED');
  const options = form.getByTestId('document-option');
  await options.nth(0).check();
  await options.nth(1).check();
  const [payslips, statements] = ['Last 3 payslips', 'Bank statements (last 3 months)'];
  await form.getByTestId('decision-reasoning').fill('E2E: recent payslips and bank statements are needed to confirm the income.');
  await submitDecisionWhenCaseKnown(page);
  await expect(page.getByTestId('decision-result')).toHaveAttribute('data-outcome', 'DOCUMENTS_REQUESTED');

  // 3. The partner answers: payslips, named as such, and a file it does not tie to any item.
  const answered = await request.post('/graphql', {
    headers: partner,
    data: {
      query: 'mutation Docs($a: ID!, $d: [SubmittedDocumentInput!]!) { submitDocuments(applicationId: $a, documents: $d) { id } }',
      variables: {
        a: applicationId,
        d: [
          { name: 'payslips-2026-q3.pdf', kind: 'PAYSLIP', url: 'https://partner.example/docs/payslips', checklistItem: payslips },
          { name: 'letter.pdf', kind: 'OTHER' },
        ],
      },
    },
  });
  expect(((await answered.json()) as { errors?: unknown }).errors).toBeUndefined();

  // 4. The case shows, item by item, what came back.
  await page.goto(`/#/case/${applicationId}`);
  const panel = page.getByTestId('documents-panel');
  await expect(panel).toHaveAttribute('data-state', 'received');
  const items = panel.getByTestId('documents-item');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toHaveAttribute('data-state', 'received');
  await expect(items.nth(0)).toContainText(payslips);
  await expect(items.nth(1)).toHaveAttribute('data-state', 'missing');
  await expect(items.nth(1)).toContainText(statements);
  await expect(panel.getByTestId('submitted-documents')).toContainText(`payslips-2026-q3.pdf`);
  await expect(panel.getByTestId('submitted-documents')).toContainText(`for ${payslips}`);
  await page.screenshot({ path: path.join(testInfo.project.outputDir, 'workbench-documents-itemised.png'), fullPage: true });
});
