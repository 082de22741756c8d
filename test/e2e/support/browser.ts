import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (playwright-core downloads no browser here); BASCULE_CHROMIUM names another. */
export const CHROMIUM = process.env.BASCULE_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium for the browser tests: no sandbox (root in CI), nothing fetched from the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
