import type { SourcePosition } from './rule-file-source.js';

/**
 * How deep a rule file may nest. A real one needs about 8 levels (rules, a rule, when, a condition, a
 * list value, outcome fields); the YAML parser's work grows far faster than the text with depth (a
 * 200 KB file of nested brackets took it about a second), so deeper files are refused before parsing.
 */
export const MAX_RULE_FILE_NESTING = 32;

const OPENERS = new Set(['[', '{']);
const CLOSERS = new Set([']', '}']);
/** After these (or at a line's start) a quote opens a quoted scalar; elsewhere it is plain text. */
const BEFORE_SCALAR = new Set(['', ':', '-', '?', ',', '[', '{']);

/** Where a quoted scalar that starts at `from` ends (the index of its closing quote, or the text's end). */
function quotedEnd(text: string, from: number): number {
  const quote = text[from];
  let i = from + 1;
  while (i < text.length && text[i] !== quote) i += quote === '"' && text[i] === '\\' ? 2 : 1;
  return i;
}

/** The nesting of block indentation and compact indicators (`- - x`, `? `) at the start of a line. */
function blockDepth(line: string): number {
  let i = 0;
  while (line[i] === ' ') i += 1;
  let depth = Math.ceil(i / 2);
  while ((line[i] === '-' || line[i] === '?') && (line[i + 1] === ' ' || i + 1 === line.length)) {
    depth += 1;
    i += 2;
    while (line[i] === ' ') i += 1;
  }
  return depth;
}

/**
 * A cheap linear scan of a YAML or JSON text for nesting deeper than MAX_RULE_FILE_NESTING: flow
 * brackets outside quoted scalars and comments, plus block indentation. Returns where the limit is
 * first passed, or undefined. It may overcount (brackets in a block scalar), never undercount.
 */
export function excessiveNesting(text: string): SourcePosition | undefined {
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  // The first newline at or after i, looked up once per line: a JSON file is often one long line,
  // and looking for it again at each quoted scalar made the scan quadratic (seconds for 10 000 rules).
  const newlineFrom = (from: number) => {
    const at = text.indexOf('\n', from);
    return at < 0 ? text.length : at;
  };
  let lineEnd = newlineFrom(0);
  let block = blockDepth(text.slice(0, lineEnd));
  if (block > MAX_RULE_FILE_NESTING) return { line, column: 1 };
  let previous = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\n') {
      line += 1;
      lineStart = i + 1;
      lineEnd = newlineFrom(lineStart);
      block = flow === 0 ? blockDepth(text.slice(lineStart, lineEnd)) : 0;
      if (block > MAX_RULE_FILE_NESTING) return { line, column: 1 };
      previous = '';
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if ((c === '"' || c === "'") && BEFORE_SCALAR.has(previous)) {
      const end = quotedEnd(text, i);
      // A quoted scalar may span lines: keep the line count right for later positions.
      while (lineEnd < end) {
        line += 1;
        lineStart = lineEnd + 1;
        lineEnd = newlineFrom(lineStart);
      }
      i = end;
      previous = c;
      continue;
    }
    if (c === '#' && (i === lineStart || /\s/.test(text.charAt(i - 1)))) {
      i = lineEnd - 1;
      continue;
    }
    if (OPENERS.has(c)) {
      flow += 1;
      if (flow + block > MAX_RULE_FILE_NESTING) return { line, column: i - lineStart + 1 };
    } else if (CLOSERS.has(c) && flow > 0) {
      flow -= 1;
    }
    previous = c;
  }
  return undefined;
}
