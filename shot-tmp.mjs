import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
const base = 'http://127.0.0.1:18080';
const ctx = await chromium.launchPersistentContext(mkdtempSync('/tmp/pw-'), { executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1366, height: 900 }, args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const page = await ctx.newPage();
page.on('console', (m) => console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(base + '/login');
await page.screenshot({ path: '/tmp/shots/login.png' });
await page.fill('#email', 'demo@alipay-mock.test');
await page.fill('#password', 'sandbox123');
await page.click('button:has-text("Sign in")');
await page.waitForURL(/\/m\//);
for (const [name, path] of [['overview',''],['buyers','/buyers'],['buyer','/buyers/2088000000000101'],['rules','/rules'],['new','/rules/new'],['requests','/requests'],['trades','/trades'],['try','/try']]) {
  await page.goto(base + '/m/2088101122136241' + path);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: name !== 'rules' });
}
await ctx.close();
