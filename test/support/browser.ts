/**
 * Headless Chromium (Debian's) for the browser tests, one per test process.
 *
 * A lane runs its e2e files one after another in one process, and launching Chromium costs a few
 * seconds of CPU each time, so the files share one browser: each takes a lease, opens its own
 * BrowserContext (its own cookies and storage, as isolated as a fresh profile) and closes it when
 * done. When the last lease is given back the browser stays open for a moment, long enough for the
 * next file in the lane to take it over, and then closes: a process never ends with it running.
 *
 *   const lease = await leaseBrowser();
 *   const context = await lease.browser.newContext({ viewport });
 *   ...
 *   await context.close();
 *   lease.release();
 */
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long an unleased browser waits for the lane's next file before it closes. */
const IDLE_CLOSE_MS = 3_000;

export interface BrowserLease {
  readonly browser: Browser;
  /** Gives the browser back (close your contexts first). Safe to call twice. */
  release(): void;
}

let launched: Promise<Browser> | undefined;
let leases = 0;
let idleTimer: NodeJS.Timeout | undefined;

export async function leaseBrowser(): Promise<BrowserLease> {
  clearTimeout(idleTimer);
  idleTimer = undefined;
  leases += 1;
  try {
    launched ??= launch();
    const browser = await launched;
    let released = false;
    return {
      browser,
      release: () => {
        if (released) return;
        released = true;
        giveBack();
      },
    };
  } catch (err) {
    giveBack();
    throw err;
  }
}

function launch(): Promise<Browser> {
  const started = chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  // A browser that crashed or failed to start is not handed out again: the next lease launches anew.
  started.then(
    (browser) => browser.on('disconnected', () => forget(started)),
    () => forget(started),
  );
  return started;
}

function forget(which: Promise<Browser>): void {
  if (launched === which) launched = undefined;
}

function giveBack(): void {
  leases -= 1;
  if (leases > 0 || !launched) return;
  const closing = launched;
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    if (leases > 0 || launched !== closing) return;
    launched = undefined;
    void closing.then((b) => b.close()).catch(() => undefined);
  }, IDLE_CLOSE_MS);
}
