// The README's cost-model table, generated from DEFAULT_COST_MODEL and COST_SOURCES (a test checks that
// the README holds exactly this text).
import { COST_SOURCES, DEFAULT_COST_MODEL, type CostModel } from '../kvm/cost-model.js';

export function costModelTable(): string {
  const lines = ['| Cost | Default ns | costs.md row (tag) |', '|---|---:|---|'];
  for (const key of Object.keys(DEFAULT_COST_MODEL) as (keyof CostModel)[]) {
    const d = DEFAULT_COST_MODEL[key];
    const ns = typeof d === 'number' ? d.toLocaleString('en-US') : `${d[0].toLocaleString('en-US')}–${d[1].toLocaleString('en-US')}`;
    lines.push(`| \`${key}\` | ${ns} | ${COST_SOURCES[key]} |`);
  }
  return lines.join('\n');
}
