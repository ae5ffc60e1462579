// Loads the generated pages in a real browser (Debian's headless Chromium): the HTML must run its scripts
// without errors and show the table, the SVG must parse. A missing Chromium fails the test on purpose —
// .ci/run installs it — so a broken page can never pass unnoticed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMatrixHtml } from './html.js';
import { renderSvgTimeline } from './svg.js';
import { TEST_MATRIX } from './test-matrix.js';
import { recordRun } from './test-support.js';
import { buildTimeline } from './timeline.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const dir = mkdtempSync(join(tmpdir(), 'vgicsim-report-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The DOM after load, as Chromium serialises it (inline scripts have run by then). */
function dumpDom(name: string, content: string): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium; .ci/run does this). This test fails rather than skips.`);
  }
  const file = join(dir, name);
  writeFileSync(file, content, 'utf8');
  const profile = mkdtempSync(join(dir, 'profile-'));
  return execFileSync(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(file).href], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('headless Chromium', () => {
  it('loads the matrix page without errors and shows every row', { timeout: 120_000 }, () => {
    const dom = dumpDom('matrix.html', renderMatrixHtml(TEST_MATRIX, { title: 'vgicsim <test>' }));
    expect(dom).toMatch(/<body[^>]*\bdata-ready="1"/);
    expect(dom).not.toContain('data-errors');
    expect(dom.match(/<tr class="(good|bad)" data-row=/g)).toHaveLength(TEST_MATRIX.rows.length);
    // The hostile scenario name stayed text: no element was created from it.
    expect(dom).not.toContain('<img');
    expect(dom).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('reports a script error through data-errors (the check above can fail)', { timeout: 120_000 }, () => {
    const broken = renderMatrixHtml(TEST_MATRIX, {}).replace('</footer>', '</footer><script>notDefinedAnywhere();</script>');
    const dom = dumpDom('broken.html', broken);
    expect(dom).toMatch(/data-errors="[^"]*notDefinedAnywhere/);
  });

  it('parses the SVG timeline and renders its lanes', { timeout: 120_000 }, () => {
    const run = recordRun('boot', 'rfc-v6', { vcpus: 2 });
    const dom = dumpDom('timeline.svg', renderSvgTimeline(buildTimeline(run.events), { title: { scenario: 'boot', strategy: 'rfc-v6' } }));
    expect(dom).not.toMatch(/parsererror|This page contains the following errors/);
    expect(dom).toContain('<svg');
    for (const name of ['main', 'CPU 0/KVM', 'CPU 1/KVM']) expect(dom).toContain(`>${name}<title>`);
  });
});
