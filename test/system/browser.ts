/**
 * Headless Debian `chromium` driven by puppeteer-core (no browser download) for the HTML report tests:
 * every request other than the page's own file:// URL is recorded and aborted, every console error and
 * page error is recorded, so a test can assert that a report needs no network and runs cleanly.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the HTML report tests need Debian's \`chromium\` package (apt-get install chromium)`,
    );
  }
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
}

export interface Visit {
  page: Page;
  /** URLs the page tried to fetch besides itself (all aborted). */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

/** Opens a file:// URL with the network cut off; resolves once the inventory script has rendered. */
export async function visit(browser: Browser, url: string, width = 1280): Promise<Visit> {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  const requests: string[] = [];
  const errors: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (req.url() === url) {
      void req.continue();
    } else {
      requests.push(req.url());
      void req.abort();
    }
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(url, { waitUntil: 'load' });
  // a string: it runs in the page, where `document` exists (this file is compiled without the DOM types)
  await page.waitForFunction(
    "[...document.querySelectorAll('.inv-status')].every((s) => /^Showing|could not/.test(s.textContent))",
    { timeout: 60_000 },
  );
  return { page, requests, errors };
}
