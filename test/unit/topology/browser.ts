// Headless Chromium (Debian's, driven by playwright-core) for the topology tests: a
// fresh profile each time, no network (every request that is not file:, data: or
// about: is refused and recorded), and a clear failure naming what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Fails (never skips) when Debian's chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install the Debian package "chromium" (apt-get install chromium; .ci/system-packages.sh does)`,
    );
  }
}

/** Fails (never skips) when Graphviz's dot is not installed. */
export function requireDot(): string {
  try {
    return execFileSync('dot', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    throw new Error(
      'Graphviz "dot" is missing: install the Debian package "graphviz" (apt-get install graphviz; .ci/system-packages.sh does)',
    );
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Requests that tried to leave the machine (should stay empty). */
  blocked: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'exposectl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (/^(file|data|about|blob):/.test(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    blocked,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
