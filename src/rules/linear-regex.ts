import { RE2JS } from 're2js';

/** A `regex` condition examines at most this many characters of a field; a longer field never matches. */
export const MAX_REGEX_INPUT = 4096;

/**
 * A pattern may compile to at most this many RE2 instructions (`a{100}` counts a hundred times). RE2
 * matches in time linear in program × text, so with MAX_REGEX_INPUT this bounds one condition's work
 * to a few milliseconds, however the merchant writes the pattern.
 */
export const MAX_REGEX_PROGRAM = 256;

function compileChecked(pattern: string): RE2JS {
  const re = RE2JS.compile(pattern);
  const size = re.programSize();
  if (size > MAX_REGEX_PROGRAM) {
    throw new Error(
      `the pattern is too large once its repetitions are expanded (${size} instructions, at most ${MAX_REGEX_PROGRAM}): use fewer or smaller {n} counts`,
    );
  }
  return re;
}

/** Compiles a pattern with RE2 syntax (no backreferences or lookaround); throws with the reason when refused. */
export function compileLinearRegex(pattern: string): (text: string) => boolean {
  const re = compileChecked(pattern);
  // A backtracking RegExp takes exponential time on ^(a+)+$ against "aaa…b"; RE2's automaton cannot.
  return (text) => text.length <= MAX_REGEX_INPUT && re.test(text);
}

/** Why the pattern is refused (RE2's message), or undefined when it compiles within the bounds. */
export function linearRegexProblem(pattern: string): string | undefined {
  try {
    compileChecked(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/^error parsing regexp: /, '');
  }
}
