/**
 * The difference between the string the sandbox signed and what the client sent, `name=value` pair
 * by pair (a longest common subsequence), for the request log's signature panel: a pair present on
 * one side only is what to look at (an unsorted order shows as pairs moved).
 */

/** One pair of either string, and whether the other string has it at the same place. */
export interface DiffToken {
  text: string;
  /** `both`: in both strings, in order; `only`: in this string only (or out of order). */
  status: 'both' | 'only';
}

/** Both strings split into pairs, each marked. */
export interface SignDiff {
  expected: DiffToken[];
  received: DiffToken[];
  /** The same pairs in both, in the same order. */
  identical: boolean;
  /** The same pairs in both, but in another order. */
  sameSetOtherOrder: boolean;
}

const MAX_TOKENS = 300;

function tokens(text: string): string[] {
  return text === '' ? [] : text.split('&').slice(0, MAX_TOKENS);
}

/** The string a client would sign from these parameters in the order it sent them (sign and sign_type left out). */
export function sentOrderString(params: ReadonlyArray<{ name: string; value: string }>): string {
  return params
    .filter((p) => p.name !== 'sign' && p.name !== 'sign_type')
    .map((p) => `${p.name}=${p.value}`)
    .join('&');
}

/** Marks the pairs of `expected` and `received` that the other string does not have in order. */
export function diffSignStrings(expected: string, received: string): SignDiff {
  const a = tokens(expected);
  const b = tokens(received);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const inA = new Array<boolean>(a.length).fill(false);
  const inB = new Array<boolean>(b.length).fill(false);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inA[i] = true;
      inB[j] = true;
      i += 1;
      j += 1;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i += 1;
    else j += 1;
  }
  const sorted = (list: string[]) => [...list].sort().join('&');
  const identical = expected === received;
  return {
    expected: a.map((text, k) => ({ text, status: inA[k] ? 'both' : 'only' })),
    received: b.map((text, k) => ({ text, status: inB[k] ? 'both' : 'only' })),
    identical,
    sameSetOtherOrder: !identical && a.length === b.length && sorted(a) === sorted(b),
  };
}
