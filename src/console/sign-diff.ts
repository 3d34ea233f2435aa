/**
 * The difference between the string the sandbox signed and what the client sent, `name=value` pair
 * by pair, for the request log's signature panel. Order is not compared (the client sends in any
 * order; the string to sign is sorted): a pair present on one side only is what to look at, such as
 * an empty parameter, a value changed in transit or a parameter sent twice.
 */

/** One pair of either string, and whether the other string has it at the same place. */
export interface DiffToken {
  text: string;
  /** `both`: in both strings; `only`: in this string only. */
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

/** Marks the pairs of `expected` and `received` that the other string does not have (as a multiset). */
export function diffSignStrings(expected: string, received: string): SignDiff {
  const a = tokens(expected);
  const b = tokens(received);
  const mark = (list: string[], other: string[]): DiffToken[] => {
    const left = new Map<string, number>();
    for (const t of other) left.set(t, (left.get(t) ?? 0) + 1);
    return list.map((text) => {
      const n = left.get(text) ?? 0;
      if (n > 0) left.set(text, n - 1);
      return { text, status: n > 0 ? 'both' : 'only' };
    });
  };
  const markedA = mark(a, b);
  const markedB = mark(b, a);
  const sameSet = markedA.every((t) => t.status === 'both') && markedB.every((t) => t.status === 'both');
  return {
    expected: markedA,
    received: markedB,
    identical: expected === received,
    sameSetOtherOrder: sameSet && expected !== received,
  };
}
