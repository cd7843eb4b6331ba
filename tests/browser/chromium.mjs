// Debian's Chromium, headless, as the suite's scripts launch it. Browser
// downloads do not work here; as root Chromium needs --no-sandbox, and without
// the background-networking flags it keeps dialling hosts the network refuses.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SKILLPRESS_CHROMIUM || '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
