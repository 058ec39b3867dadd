/**
 * Headless Debian Chromium through playwright-core, for the tests that drive pages. On a
 * machine without /usr/bin/chromium a suite is skipped at run time and says why (CI installs it).
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function chromiumAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  console.warn(`SKIPPED ${suite}: ${CHROMIUM_PATH} is missing (apt-get install chromium); .ci/run installs it`);
  return false;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
