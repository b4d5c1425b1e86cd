/**
 * The browser: the machine's Chromium (Debian's `chromium` package), driven by playwright-core, which downloads
 * no browser of its own. Without one the tests fail at once, saying how to get it — they never skip.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser'];

/** `CHROMIUM` when set, else the first Chromium on the PATH; throws, saying what to install, when there is none. */
export function chromiumExecutable(): string {
  const configured = process.env.CHROMIUM;
  if (configured) {
    if (!isExecutable(configured)) {
      throw new Error(`CHROMIUM=${configured} is not an executable file`);
    }
    return configured;
  }
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      const candidate = join(directory, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new Error('the console\'s browser tests need Chromium and found none on the PATH: install Debian\'s package'
    + ' (apt-get install -y chromium; .ci/run does it), or set CHROMIUM to a Chromium executable');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    // Containers (and CI) often run as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
