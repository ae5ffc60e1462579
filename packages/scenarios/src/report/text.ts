// Small text helpers shared by the SVG and HTML renderers: escaping, number formatting, axis ticks.

/** Escapes text for XML/HTML element content and double-quoted attribute values. */
export function esc(text: string): string {
  let out = '';
  for (const ch of text) {
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&#39;';
        break;
      default: {
        // Control characters other than tab/newline are not allowed in XML 1.0 at all.
        const c = ch.codePointAt(0) ?? 0;
        out += c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d ? '\ufffd' : ch;
      }
    }
  }
  return out;
}

/** A coordinate with at most 2 decimals and no trailing zeros (keeps SVG text small). */
export function px(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** ns → µs text with a precision that suits the magnitude (`12.34`, `1234.5`, `123456`). */
export function fmtUs(ns: number): string {
  const us = ns / 1000;
  const abs = Math.abs(us);
  const digits = abs >= 10000 ? 0 : abs >= 100 ? 1 : 2;
  return String(Number(us.toFixed(digits)));
}

/** ns → µs, exact (integer ns divide to the shortest decimal: 156850 → `156.85`); for tooltips. */
export function exactUs(ns: number): string {
  return String(ns / 1000);
}

/** Tick positions (in the axis unit) for [lo, hi]: a 1/2/5×10^k step giving about `target` ticks. */
export function niceTicks(lo: number, hi: number, target: number): { readonly step: number; readonly ticks: number[] } {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return { step: 1, ticks: [lo] };
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return { step, ticks };
}

/** A tick label: as many decimals as the step needs, none for whole steps. */
export function tickLabel(v: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
  return v.toFixed(decimals);
}
