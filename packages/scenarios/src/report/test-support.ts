// Shared by the report tests: record a real run's events, and a small XML well-formedness check.
import type { TraceEvent } from '@vgicsim/kvm-sim';
import { runScenario } from '../scenario/run.js';
import type { ParamValue } from '../scenario/params.js';
import type { ScenarioResult } from '../scenario/types.js';

export interface RecordedRun {
  readonly events: TraceEvent[];
  readonly result: ScenarioResult;
}

export function recordRun(
  scenario: string,
  strategy: string,
  params: Readonly<Record<string, ParamValue>> = {},
  seed = 1,
): RecordedRun {
  const events: TraceEvent[] = [];
  const result = runScenario({ scenario, strategy, params, seed, trace: 'hash', sink: { write: (e) => events.push(e) } });
  return { events, result };
}

/**
 * Throws unless `text` is well-formed XML as far as a renderer cares: balanced and properly nested tags,
 * quoted attributes without raw `<`, no duplicate attributes, only the five predefined or numeric entities,
 * a single root element. Not a validator; enough to catch what string-built markup gets wrong.
 */
export function checkWellFormedXml(text: string): void {
  let i = 0;
  const stack: string[] = [];
  let roots = 0;
  const fail = (msg: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new Error(`not well-formed XML (line ${line}): ${msg}`);
  };
  const checkEntities = (s: string): void => {
    for (const m of s.matchAll(/&([^;\s]*);?/g)) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(m[0])) fail(`bad entity ${m[0]}`);
    }
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (stack.length === 0 && chunk.trim() !== '') fail('text outside the root element');
    checkEntities(chunk);
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) {
      const e = text.indexOf('?>', i);
      if (e < 0) fail('unterminated processing instruction');
      i = e + 2;
    } else if (text.startsWith('<!--', i)) {
      const e = text.indexOf('-->', i);
      if (e < 0) fail('unterminated comment');
      i = e + 3;
    } else if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(text.slice(i));
      if (m === null) fail('bad end tag');
      const name = (m as RegExpExecArray)[1];
      if (stack.pop() !== name) fail(`unexpected </${name}>`);
      i += (m as RegExpExecArray)[0].length;
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(text.slice(i));
      if (m === null) fail(`bad start tag near ${JSON.stringify(text.slice(i, i + 60))}`);
      const [all, name, attrs, selfClose] = m as RegExpExecArray;
      const seen = new Set<string>();
      for (const a of (attrs ?? '').matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*("[^"]*"|'[^']*')/g)) {
        if (seen.has(a[1] ?? '')) fail(`duplicate attribute ${a[1]}`);
        seen.add(a[1] ?? '');
        checkEntities(a[2] ?? '');
      }
      if (stack.length === 0) roots++;
      if (selfClose !== '/') stack.push(name ?? '');
      i += all.length;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) fail(`${roots} root elements`);
}
