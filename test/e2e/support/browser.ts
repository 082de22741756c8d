import { type Browser, chromium, type Page } from 'playwright-core';

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

/** Signs in through the admin UI's login page and waits for the home page. */
export async function signIn(page: Page, hubUrl: string, username: string, password: string): Promise<void> {
  await page.goto(hubUrl);
  await page.waitForURL(/#\/login/);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Connexion' }).click();
  await page.getByText('Bienvenue dans Bascule').waitFor();
}
