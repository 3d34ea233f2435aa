import type { Condition, ConditionOp } from './condition-schema.js';
import { compareDecimal, parseDecimal, plainDecimalKey } from './decimal.js';
import { compileLinearRegex } from './linear-regex.js';

/** A compiled condition test: the field's text (undefined when absent) → does the condition hold. */
export type FieldTest = (value: string | undefined) => boolean;

type Compiler = (c: Condition) => FieldTest;

function one(c: Condition): string {
  return typeof c.value === 'string' ? c.value : '';
}

/** eq: exact text, or equal numbers when both sides are plain decimals ("9901" = "9901.00"). */
function compileEq(c: Condition): FieldTest {
  const want = one(c);
  const wantKey = plainDecimalKey(want);
  if (wantKey === undefined) return (v) => v === want;
  // A plain decimal equal to wantKey starts with the same sign and integer digits: a cheap first filter,
  // since every trans_amount default rule runs this on every spot pay.
  const wantInt = wantKey.split('.')[0] ?? wantKey;
  return (v) =>
    v !== undefined &&
    (v === want || ((v.startsWith(wantInt) || v.startsWith('-')) && plainDecimalKey(v) === wantKey));
}

function compileIn(c: Condition): FieldTest {
  const list = Array.isArray(c.value) ? c.value : [];
  const texts = new Set(list);
  const numbers = new Set(list.map(plainDecimalKey).filter((k): k is string => k !== undefined));
  return (v) => {
    if (v === undefined) return false;
    if (texts.has(v)) return true;
    if (numbers.size === 0) return false;
    const key = plainDecimalKey(v);
    return key !== undefined && numbers.has(key);
  };
}

function compileOrdering(accept: (cmp: number) => boolean): Compiler {
  return (c) => {
    const want = parseDecimal(one(c));
    if (want === undefined) return () => false;
    return (v) => {
      const got = v === undefined ? undefined : parseDecimal(v);
      return got !== undefined && accept(compareDecimal(got, want));
    };
  };
}

/** The operator table: each operator compiles its condition once into a cheap test. */
export const OPERATORS: Readonly<Record<ConditionOp, Compiler>> = {
  eq: compileEq,
  ne: (c) => {
    const eq = compileEq(c);
    return (v) => !eq(v);
  },
  in: compileIn,
  prefix: (c) => {
    const want = one(c);
    return (v) => v !== undefined && v.startsWith(want);
  },
  regex: (c) => {
    // Compiled on first use, not with the rule: an RE2 program takes about 10 KB of heap, and a
    // sandbox with thousands of merchants' rules tests only a few of them in its lifetime.
    let test: ((text: string) => boolean) | undefined;
    return (v) => {
      if (v === undefined) return false;
      if (test === undefined) {
        try {
          test = compileLinearRegex(one(c));
        } catch {
          // Only a rule stored before patterns were checked with RE2 gets here: it never matches.
          test = () => false;
        }
      }
      return test(v);
    };
  },
  gt: compileOrdering((cmp) => cmp > 0),
  gte: compileOrdering((cmp) => cmp >= 0),
  lt: compileOrdering((cmp) => cmp < 0),
  lte: compileOrdering((cmp) => cmp <= 0),
  exists: () => (v) => v !== undefined,
  absent: () => (v) => v === undefined,
};
