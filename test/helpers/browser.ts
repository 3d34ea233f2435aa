import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; the browser tests never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser tests are skipped, or undefined when Chromium is there. */
export const CHROMIUM_SKIP: string | undefined = existsSync(CHROMIUM_PATH)
  ? undefined
  : 'Chromium not installed at /usr/bin/chromium: apt-get install -y chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where the browser tests put their screenshots (ignored by git). */
export const SCREENSHOT_DIR = resolve('test-results/screenshots');

/** A headless Chromium with a new, empty profile; close() removes the profile. */
export async function launchChromium(options: { javaScriptEnabled?: boolean } = {}): Promise<{
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}> {
  const profile = await mkdtemp(join(tmpdir(), 'alipay-mock-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 900 },
    ...options,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page screenshot into test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // From the top, so that the sticky header is drawn where it belongs in a full-page picture.
  if (fullPage) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage });
  return path;
}
