import { describe, expect, it } from 'vitest';
import { runMatrix } from '../matrix.js';
import { renderMatrixHtml } from './html.js';
import { TEST_MATRIX } from './test-matrix.js';

describe('matrix HTML page', () => {
  const html = renderMatrixHtml(TEST_MATRIX, { title: 'Report <1>', subtitle: 'host a&b' });

  it('escapes every text that comes from the matrix or the meta', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('<title>Report &lt;1&gt;</title>');
    expect(html).toContain('host a&amp;b');
  });

  it('has one table row per matrix row with outcome counts and the metrics', () => {
    const rows = html.match(/<tr class="(good|bad)" data-row=/g) ?? [];
    expect(rows).toHaveLength(TEST_MATRIX.rows.length);
    expect(html).toContain('<td class="l o">2 ok, 1 stranded-pauser</td>');
    expect(html).toContain('<td>7 / 8</td><td>21</td>');
    expect(html).toContain('<td>12.35 / 23.46</td>');
    expect(html.match(/class="bad"/g)).toHaveLength(3);
  });

  it('has the per-strategy bar chart: summed pauses and the median CPU_ON latency', () => {
    expect(html).toContain('VM-wide pauses per run');
    expect(html).toContain('CPU_ON latency (µs)');
    // rfc-v6: 7 + 4 pauses; CPU_ON median of 21 and 35.5 µs; upstream-2025: no CPU_ON measured.
    expect(html).toContain('<title>rfc-v6: 11 (1/2 rows failed)</title>');
    expect(html).toContain('<title>rfc-v6: 28.25 (1/2 rows failed)</title>');
    expect(html).toContain('<title>upstream-2025: n/a (2/2 rows failed)</title>');
    expect(html).toContain('<title>upstream-2025: 0 (2/2 rows failed)</title>');
  });

  it('records errors and readiness for a headless browser, error hook first', () => {
    const onerror = html.indexOf('window.onerror');
    expect(onerror).toBeGreaterThan(0);
    expect(onerror).toBeLessThan(html.indexOf('<body>'));
    expect(html).toContain('document.body.dataset.ready="1"');
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=["']/);
  });

  it('renders a real (small) matrix', () => {
    const m = runMatrix({ scenarios: ['boot'], strategies: ['rfc-v6', 'upstream-2025'], seeds: 1, params: { boot: { vcpus: 2 } } });
    const out = renderMatrixHtml(m, {});
    expect(out.match(/data-row=/g)).toHaveLength(2);
    expect(out).toContain('data-row="boot|rfc-v6|all-vcpus"');
    expect(out).toContain('1 abort');
  });
});
