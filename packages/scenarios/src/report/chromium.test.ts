// Loads the generated pages in a real browser (headless Chromium from npm's @sparticuz/chromium, or
// CHROME_PATH's): the HTML must run its scripts without errors and show the table, the SVG must parse.
// A Chromium that cannot start fails these tests rather than skipping them, so a broken page can never pass
// unnoticed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMatrixHtml } from './html.js';
import { renderSvgTimeline } from './svg.js';
import { launchChromium } from './test-browser.js';
import { TEST_MATRIX } from './test-matrix.js';
import { recordRun } from './test-support.js';
import { buildTimeline } from './timeline.js';

const dir = mkdtempSync(join(tmpdir(), 'vgicsim-report-'));
let browser: Browser | undefined;
beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The DOM after load, as Chromium serialises it (inline scripts have run by then). */
async function dumpDom(name: string, content: string): Promise<string> {
  if (browser === undefined) throw new Error('headless Chromium did not start');
  const file = join(dir, name);
  writeFileSync(file, content, 'utf8');
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 60_000 });
    return await page.content();
  } finally {
    await page.close();
  }
}

describe('headless Chromium', () => {
  it('loads the matrix page without errors and shows every row', { timeout: 120_000 }, async () => {
    const dom = await dumpDom('matrix.html', renderMatrixHtml(TEST_MATRIX, { title: 'vgicsim <test>' }));
    expect(dom).toMatch(/<body[^>]*\bdata-ready="1"/);
    expect(dom).not.toContain('data-errors');
    expect(dom.match(/<tr class="(good|bad)" data-row=/g)).toHaveLength(TEST_MATRIX.rows.length);
    // The hostile scenario name stayed text: no element was created from it (attribute values, which
    // Chromium serialises with a raw '<', are blanked before looking for a tag).
    expect(dom.replace(/"[^"]*"/g, '""')).not.toContain('<img');
    expect(dom).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('reports a script error through data-errors (the check above can fail)', { timeout: 120_000 }, async () => {
    const broken = renderMatrixHtml(TEST_MATRIX, {}).replace('</footer>', '</footer><script>notDefinedAnywhere();</script>');
    const dom = await dumpDom('broken.html', broken);
    expect(dom).toMatch(/data-errors="[^"]*notDefinedAnywhere/);
  });

  it('parses the SVG timeline and renders its lanes', { timeout: 120_000 }, async () => {
    const run = recordRun('boot', 'rfc-v6', { vcpus: 2 });
    const dom = await dumpDom('timeline.svg', renderSvgTimeline(buildTimeline(run.events), { title: { scenario: 'boot', strategy: 'rfc-v6' } }));
    expect(dom).not.toMatch(/parsererror|This page contains the following errors/);
    expect(dom).toContain('<svg');
    for (const name of ['main', 'CPU 0/KVM', 'CPU 1/KVM']) expect(dom).toContain(`>${name}<title>`);
  });
});
