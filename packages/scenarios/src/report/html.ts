// The strategy comparison matrix as one self-contained HTML page: inline CSS, an inline SVG bar chart and
// two tiny scripts (an error recorder and a ready flag, so a headless browser can check the page loads).
import type { Matrix, MatrixRow } from '../matrix.js';
import { SCENARIO_OUTCOMES } from '../scenario/types.js';
import { esc, fmtUs, px } from './text.js';

export interface MatrixHtmlMeta {
  /** Page title (default "vgicsim strategy comparison"). */
  readonly title?: string;
  /** Free text under the title (host profile, command line…). */
  readonly subtitle?: string;
  /** A timestamp or version string shown in the footer (the page itself never reads the clock). */
  readonly generated?: string;
}

const CSS = `
body{font:14px/1.4 system-ui,"DejaVu Sans",Arial,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.sub{color:#555;margin:0 0 16px}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:right;white-space:nowrap}
th{background:#f3f3f3;position:sticky;top:0}
td.l,th.l{text-align:left}
tr.bad td.o{background:#fde0e0}tr.good td.o{background:#e3f4e3}
.charts{display:flex;flex-wrap:wrap;gap:24px}
footer{margin-top:24px;color:#777;font-size:12px}
`;

// Before any other script: records uncaught errors on <body> for the headless-browser test.
const ERROR_SCRIPT =
  'window.__errs=[];window.onerror=function(m,s,l){window.__errs.push(String(m)+" @"+l);' +
  'if(document.body)document.body.dataset.errors=window.__errs.join(" | ");};';
const READY_SCRIPT = 'if(window.__errs.length)document.body.dataset.errors=window.__errs.join(" | ");document.body.dataset.ready="1";';

/** Renders the matrix page. Every piece of text from the matrix or meta is escaped. */
export function renderMatrixHtml(matrix: Matrix, meta: MatrixHtmlMeta = {}): string {
  const title = meta.title ?? 'vgicsim strategy comparison';
  const seeds = matrix.seeds.length === 0 ? 'none' : `${matrix.seeds.length} (${matrix.seeds.join(', ')})`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
<script>${ERROR_SCRIPT}</script>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="sub">${meta.subtitle === undefined ? '' : `${esc(meta.subtitle)} · `}${matrix.rows.length} rows · seeds: ${esc(seeds)}</p>
<h2>Per strategy</h2>
<div class="charts">
${barChart('VM-wide pauses per run', 'Sum over the scenarios (and lock policies) of each row’s median number of VM-wide pauses per run.', perStrategy(matrix.rows, sumPauses), (v) => String(v), '#8e24aa')}
${barChart('CPU_ON latency (µs)', 'Median over the scenarios (and lock policies) of each row’s median CPU_ON latency; rows without a CPU_ON are left out.', perStrategy(matrix.rows, medianCpuOn), (v) => fmtUs(v), '#1565c0')}
</div>
<h2>Matrix</h2>
${table(matrix.rows)}
<footer>Times are virtual (simulated) time. Outcome counts are over the seeds; “median/max” are over the seeds’ runs.${meta.generated === undefined ? '' : ` Generated ${esc(meta.generated)}.`}</footer>
<script>${READY_SCRIPT}</script>
</body>
</html>
`;
}

function table(rows: readonly MatrixRow[]): string {
  const head = [
    '<th class="l">Scenario</th><th class="l">Strategy</th><th class="l">Lock policy</th><th>Runs</th><th class="l">Outcomes</th>',
    '<th>VM-wide pauses<br>median / max</th><th>CPU_ON latency<br>median µs</th><th>vCPU stopped µs<br>median / max</th>',
    '<th>EBUSY<br>median / max</th><th>Violations</th><th>RO mismatches</th><th>Carried config</th>',
  ].join('');
  const body = rows.map((r) => {
    const bad = failed(r);
    const outcomes = SCENARIO_OUTCOMES.filter((o) => r.outcomes[o] > 0).map((o) => `${r.outcomes[o]} ${o}`).join(', ') || '—';
    const key = `${r.scenario}|${r.strategy}|${r.lockPolicy}`;
    return (
      `<tr class="${bad ? 'bad' : 'good'}" data-row="${esc(key)}">` +
      `<td class="l">${esc(r.scenario)}</td><td class="l">${esc(r.strategy)}</td><td class="l">${esc(r.lockPolicy)}</td><td>${r.runs}</td>` +
      `<td class="l o">${esc(outcomes)}</td>` +
      `<td>${r.vmWidePauses.median} / ${r.vmWidePauses.max}</td><td>${r.cpuOnLatencyNs.median > 0 ? fmtUs(r.cpuOnLatencyNs.median) : '—'}</td>` +
      `<td>${fmtUs(r.vcpuStoppedNs.median)} / ${fmtUs(r.vcpuStoppedNs.max)}</td><td>${r.ebusy.median} / ${r.ebusy.max}</td>` +
      `<td>${r.violations}</td><td>${r.roMismatches}</td><td>${r.carriedGuestConfig}</td></tr>`
    );
  });
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

interface StrategyValue {
  readonly strategy: string;
  readonly value: number | null;
  readonly rows: number;
  /** Rows with at least one non-ok outcome: their metrics stop at the failure, so the bar understates. */
  readonly failedRows: number;
}

/** Strategies in first-appearance order, each with the value `agg` computes over its rows. */
function perStrategy(rows: readonly MatrixRow[], agg: (rows: readonly MatrixRow[]) => number | null): StrategyValue[] {
  const by = new Map<string, MatrixRow[]>();
  for (const r of rows) {
    const list = by.get(r.strategy) ?? [];
    list.push(r);
    by.set(r.strategy, list);
  }
  return [...by].map(([strategy, rs]) => ({ strategy, value: agg(rs), rows: rs.length, failedRows: rs.filter(failed).length }));
}

function failed(r: MatrixRow): boolean {
  return SCENARIO_OUTCOMES.some((o) => o !== 'ok' && r.outcomes[o] > 0);
}

function sumPauses(rows: readonly MatrixRow[]): number {
  return rows.reduce((s, r) => s + r.vmWidePauses.median, 0);
}

function medianCpuOn(rows: readonly MatrixRow[]): number | null {
  const v = rows.map((r) => r.cpuOnLatencyNs.median).filter((x) => x > 0).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? (v[mid] ?? 0) : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
}

/** A horizontal bar chart as inline SVG; null values are drawn as "n/a", failing rows are flagged. */
function barChart(heading: string, caption: string, data: readonly StrategyValue[], fmt: (v: number) => string, color: string): string {
  const labelW = 130;
  const barW = 260;
  const rowH = 22;
  const width = labelW + barW + 190;
  const height = 28 + data.length * rowH + 6;
  const max = Math.max(1e-9, ...data.map((d) => d.value ?? 0));
  const bars = data.map((d, i) => {
    const y = 28 + i * rowH;
    const v = d.value;
    const w = v === null ? 0 : Math.max(v > 0 ? 1 : 0, (v / max) * barW);
    const text = `${v === null ? 'n/a' : fmt(v)}${d.failedRows > 0 ? ` (${d.failedRows}/${d.rows} rows failed)` : ''}`;
    return (
      `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(d.strategy)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${px(w)}" height="${rowH - 8}" fill="${color}"><title>${esc(`${d.strategy}: ${text}`)}</title></rect>` +
      `<text x="${px(labelW + w + 6)}" y="${y + 14}"${d.failedRows > 0 ? ' fill="#b71c1c"' : ''}>${esc(text)}</text>`
    );
  });
  return (
    `<figure style="margin:0"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-size="12" font-family="DejaVu Sans, Arial, sans-serif" role="img" aria-label="${esc(heading)}">` +
    `<text x="0" y="14" font-weight="bold" font-size="12">${esc(heading)}</text>` +
    `${bars.join('')}</svg><figcaption style="font-size:12px;color:#555;max-width:${width}px">${esc(caption)} Rows that failed stop counting at the failure.</figcaption></figure>`
  );
}
