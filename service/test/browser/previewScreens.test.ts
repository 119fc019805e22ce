import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildPreview, REPO_DIR } from '../../../preview/build';
import { startPreviewServer, type PreviewServer } from '../../../preview/serve';

/**
 * Clicks through the local preview (`npm run preview`) in Debian's Chromium: the components built
 * with LWC OSS and lightning-base-components, backed by the jest fixtures. Saves a screenshot of
 * each screen to test-artifacts/screenshots/.
 */

// Debian's Chromium; PREVIEW_CHROMIUM points elsewhere (a missing path shows the skip).
const CHROMIUM = process.env.PREVIEW_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
const SCREENSHOTS = path.join(REPO_DIR, 'test-artifacts/screenshots');
// Generous: the first render compiles nothing, but Chromium on a loaded machine is slow.
const UI_TIMEOUT_MS = 15000;

const chromiumPresent = existsSync(CHROMIUM);
if (!chromiumPresent) {
  console.warn(`SKIPPING the preview browser tests: ${CHROMIUM} is missing (apt-get install chromium).`);
}
const describeInChromium = chromiumPresent ? describe : describe.skip;
const title = chromiumPresent
  ? 'local preview in Chromium'
  : `local preview in Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)`;

describeInChromium(title, () => {
  let outDir: string;
  let userDataDir: string;
  let server: PreviewServer;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-preview-'));
    userDataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-chromium-'));
    await mkdir(SCREENSHOTS, { recursive: true });
    const { warnings } = await buildPreview({ outDir, sourcemap: false });
    expect(warnings).toEqual([]);
    server = await startPreviewServer(outDir, 0);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await Promise.all([outDir, userDataDir].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  afterEach(() => {
    // A thrown error in a component stops the rest of its screen rendering.
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function open(screen: string): Promise<void> {
    await page.goto(`${server.url}/#${screen}`);
    await page.locator(`main[data-screen="${screen}"]`).waitFor();
  }

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  test('the preview is styled with SLDS', async () => {
    await open('dashboard');
    const response = await page.request.get(`${server.url}/slds/styles/salesforce-lightning-design-system.min.css`);
    expect(response.ok()).toBe(true);
    // An SLDS card has a border radius only when the stylesheet applied.
    // A string: the tsconfig has no DOM types, and this runs in the page.
    const radius = String(
      await page.locator('.slds-card').first().evaluate('(card) => getComputedStyle(card).borderRadius'),
    );
    expect(radius).not.toBe('0px');
  });

  test('dashboard: counters, failing records, and a Delete confirmation that can be cancelled', async () => {
    await open('dashboard');
    const main = page.locator('main');
    await main.getByText('Sync: Head office').waitFor();
    await main.getByText('12,840').waitFor();
    await main.getByText('Failing records').waitFor();
    await main.getByText("Phone '+1 555' is not a valid number for US").waitFor();
    await shot('dashboard');

    await button('Delete').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Delete Head office?').waitFor();
    await dialog.getByText('This will not').waitFor();
    await shot('dashboard-delete-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await main.getByText('Sync: Head office').waitFor();
  });

  test('setup wizard: Next through every step to the review, then save', async () => {
    await open('wizard');
    const next = button('Next');
    await page.getByText('Step 1 of 9: Connection').waitFor();
    await shot('wizard-1-connection');
    await next.click();

    await page.getByText('Step 2 of 9: Direction').waitFor();
    expect(await next.isDisabled()).toBe(true);
    await page.getByLabel('Sync name').fill('Preview sync');
    await expectEnabled(next);
    await shot('wizard-2-direction');
    await next.click();

    const steps = ['Conflict winner', 'Objects', 'Validity and matching'];
    for (const [index, label] of steps.entries()) {
      await page.getByText(`Step ${index + 3} of 9: ${label}`).waitFor();
      await shot(`wizard-${index + 3}-${label.toLowerCase().replace(/\W+/g, '-')}`);
      await expectEnabled(next);
      await next.click();
    }

    await page.getByText('Step 6 of 9: Scope').waitFor();
    await page.getByText('12,842 Contacts in scope').waitFor();
    const scope = page.getByLabel('Contacts scope (SOQL condition without WHERE; blank for all)');
    await scope.fill("MailingCountry = 'US");
    await page.getByText("unexpected token: '''").first().waitFor();
    expect(await next.isDisabled()).toBe(true);
    await shot('wizard-6-scope-error');
    await scope.fill("MailingCountry = 'US'");
    await page.getByText(/\d[\d,]* Contacts in scope/).waitFor();
    await expectEnabled(next);
    await shot('wizard-6-scope');
    await next.click();

    await page.getByText('Step 7 of 9: Schedule and deletes').waitFor();
    await expectEnabled(next);
    await shot('wizard-7-schedule');
    await next.click();

    await page.getByText('Step 8 of 9: Call logging').waitFor();
    await page.getByText('Log missed, busy and voicemail calls').waitFor();
    await expectEnabled(next);
    await shot('wizard-8-call-logging');
    await next.click();

    await page.getByText('Step 9 of 9: Review').waitFor();
    await page.locator('main').getByText('Preview sync').waitFor();
    await page.locator('main').getByText("MailingCountry = 'US'", { exact: false }).waitFor();
    await shot('wizard-9-review');

    await button('Save').click();
    await page.getByText('Preview sync is saved.').waitFor();
    await page.locator('main[data-screen="dashboard"]').waitFor();
  });

  test('mapping studio: rows by object from the field options', async () => {
    await open('mappings');
    const main = page.locator('main');
    await main.getByText('Field mappings').waitFor();
    await main.getByText('Contacts mapping 1', { exact: true }).waitFor();
    await main.getByRole('button', { name: 'Remove Contacts mapping 1' }).waitFor();
    await main.getByText('First Name (FirstName)').first().waitFor();
    await shot('mapping-studio');
  });

  test('record status: state, directory entry and open errors; Sync now', async () => {
    await open('record');
    const main = page.locator('main');
    await main.getByText('6f1c7a52-93a4-4d0e-9a55-0b8f3f0f2d11').waitFor();
    await main.getByText('Failing').first().waitFor();
    await main.getByText('INVALID_PHONE (Telephony)').waitFor();
    await main.getByText('Inbound call from +49 30 1234567').waitFor();
    await shot('record-status');
    await button('Sync now').click();
    await page.locator('.slds-notify_toast').first().waitFor();
    await shot('record-status-sync-now');
  });

  async function expectEnabled(locator: ReturnType<Page['locator']>): Promise<void> {
    // Validation (and the scope counts) finish after rendering: wait for the button to be usable.
    const handle = await locator.elementHandle();
    expect(handle).not.toBeNull();
    await handle!.waitForElementState('enabled', { timeout: UI_TIMEOUT_MS });
  }
});
