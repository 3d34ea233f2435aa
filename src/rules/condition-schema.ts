import { z } from 'zod';
import { parseDecimal } from './decimal.js';
import { linearRegexProblem } from './linear-regex.js';

/** Condition operators, in the order the docs list them. */
export const CONDITION_OPS = [
  'eq',
  'ne',
  'in',
  'prefix',
  'regex',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'absent',
] as const;

/** One condition operator. */
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** Operators that compare decimal amounts exactly. */
export const ORDERING_OPS: ReadonlySet<ConditionOp> = new Set(['gt', 'gte', 'lt', 'lte']);

/** Operators that take no value. */
export const PRESENCE_OPS: ReadonlySet<ConditionOp> = new Set(['exists', 'absent']);

/** Regular expressions longer than this are refused (they are compiled once, but run on every request). */
export const MAX_REGEX_LENGTH = 200;

/** A parameter name, optionally followed by `.key` steps into a JSON-valued parameter. */
const FIELD = /^[A-Za-z0-9_]+(\.[^.\s]+)*$/;

const VALUE = z.union([z.string().max(1000), z.array(z.string().max(1000)).min(1).max(1000)], {
  error: 'value must be a string, or a list of strings for op "in"',
});

function checkValue(
  c: { op: ConditionOp; value?: string | string[] | undefined },
  ctx: z.RefinementCtx,
): void {
  const { op, value } = c;
  const problem = (message: string) => ctx.addIssue({ code: 'custom', path: ['value'], message });
  if (PRESENCE_OPS.has(op)) {
    if (value !== undefined) problem(`op "${op}" takes no value`);
    return;
  }
  if (op === 'in') {
    if (!Array.isArray(value)) problem('op "in" takes a list of strings, e.g. ["HKD", "USD"]');
    return;
  }
  if (typeof value !== 'string') {
    problem(`op "${op}" takes one string value`);
    return;
  }
  if (ORDERING_OPS.has(op) && parseDecimal(value) === undefined) {
    problem(`op "${op}" compares decimal amounts: value must be a number such as 10.00, got "${value}"`);
  }
  if (op === 'regex') {
    if (value.length > MAX_REGEX_LENGTH) {
      problem(`a regex is limited to ${MAX_REGEX_LENGTH} characters, this one has ${value.length}`);
      return;
    }
    const why = linearRegexProblem(value);
    if (why !== undefined) problem(`not a valid regular expression (RE2 syntax): ${why}`);
  }
}

/** One condition on a request parameter, or on a field inside a JSON-valued parameter (`extend_info.store_id`). */
export const CONDITION_SCHEMA = z
  .strictObject({
    field: z
      .string()
      .max(200)
      .regex(
        FIELD,
        'field must be a parameter name, or param.key for a field inside a JSON-valued parameter',
      ),
    op: z.enum(CONDITION_OPS),
    value: VALUE.optional(),
  })
  .superRefine(checkValue);

/** One rule condition. */
export type Condition = z.infer<typeof CONDITION_SCHEMA>;
