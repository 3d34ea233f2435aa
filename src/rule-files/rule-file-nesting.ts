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

/** The line of `text` that starts at `start`, without its newline. */
function lineAt(text: string, start: number): string {
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
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
  let block = blockDepth(lineAt(text, 0));
  if (block > MAX_RULE_FILE_NESTING) return { line, column: 1 };
  let previous = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\n') {
      line += 1;
      lineStart = i + 1;
      block = flow === 0 ? blockDepth(lineAt(text, lineStart)) : 0;
      if (block > MAX_RULE_FILE_NESTING) return { line, column: 1 };
      previous = '';
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if ((c === '"' || c === "'") && BEFORE_SCALAR.has(previous)) {
      const end = quotedEnd(text, i);
      // A quoted scalar may span lines: keep the line count right for later positions.
      for (let nl = text.indexOf('\n', i); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) {
        line += 1;
        lineStart = nl + 1;
      }
      i = end;
      previous = c;
      continue;
    }
    if (c === '#' && (i === lineStart || /\s/.test(text.charAt(i - 1)))) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
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
