/**
 * Code 128 (ISO/IEC 15417) as inline SVG, for the buyers' payment codes: what a cashier's scanner
 * reads from the buyer's app. Digit strings of even length use code set C (two digits a symbol, the
 * densest form, as wallet apps do); anything else printable uses code set B.
 */

/** Widths of bar, space, bar, space, bar, space for symbol values 0–105; 106 is the stop (seven elements). */
// prettier-ignore
export const CODE128_PATTERNS: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

const START_B = 104;
const START_C = 105;
const STOP = 106;

/** The symbol values of `text`: start, data, check symbol, stop. Throws for text Code 128 B cannot hold. */
export function code128Values(text: string): number[] {
  if (text === '') throw new RangeError('Code 128 needs at least one character');
  const values: number[] = [];
  if (/^(\d\d)+$/.test(text)) {
    values.push(START_C);
    for (let i = 0; i < text.length; i += 2) values.push(Number(text.slice(i, i + 2)));
  } else {
    values.push(START_B);
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      if (ch.length !== 1 || code < 32 || code > 126) {
        throw new RangeError(`Code 128 B cannot encode ${JSON.stringify(ch)}`);
      }
      values.push(code - 32);
    }
  }
  // The check symbol: the start value plus each data value times its position, modulo 103.
  const check = values.reduce((sum, v, i) => sum + v * Math.max(i, 1), 0) % 103;
  values.push(check, STOP);
  return values;
}

/** Bar and space widths in modules, bar first, for the whole symbol (without quiet zones). */
export function code128Widths(text: string): number[] {
  return code128Values(text).flatMap((v) => [...(CODE128_PATTERNS[v] ?? '')].map(Number));
}

/** Options of the SVG drawing. */
export interface Code128SvgOptions {
  /** Bar height in modules. Default 60. */
  height?: number;
  /** Accessible name of the image. */
  label: string;
}

const QUIET_ZONE = 10;

/**
 * The barcode as an `<svg>` element: one `<rect>` per bar on a white ground with quiet zones, sized by
 * its viewBox (one unit per module) so CSS can scale it. Returns markup built from numbers only; the
 * label is escaped.
 */
export function code128Svg(text: string, opts: Code128SvgOptions): string {
  const widths = code128Widths(text);
  const height = opts.height ?? 60;
  const total = widths.reduce((a, b) => a + b, 0) + 2 * QUIET_ZONE;
  let x = QUIET_ZONE;
  const bars: string[] = [];
  widths.forEach((w, i) => {
    if (i % 2 === 0) bars.push(`<rect x="${x}" y="0" width="${w}" height="${height}"/>`);
    x += w;
  });
  const label = opts.label.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="barcode" viewBox="0 0 ${total} ${height}" ` +
    `preserveAspectRatio="none" role="img" aria-label="${label}" shape-rendering="crispEdges">` +
    `<rect width="${total}" height="${height}" fill="#fff"/><g fill="#000">${bars.join('')}</g></svg>`
  );
}
