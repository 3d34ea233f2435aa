import type { z } from 'zod';
import { Problem } from './problem.js';

/** One `{field, message}` per problem; an unknown key is named as its own field. */
function fieldErrors(issues: readonly z.core.$ZodIssue[]): Array<{ field: string; message: string }> {
  return issues.flatMap((i) => {
    const at = i.path.map(String);
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({ field: [...at, key].join('.'), message: 'unknown field' }));
    }
    return [{ field: at.join('.') || '(body)', message: i.message }];
  });
}

/** Parses a JSON body with a zod schema; a failure is an `invalid_request` problem listing each field. */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues);
  throw new Problem(
    'invalid_request',
    `request body is invalid: ${errors[0]?.field}: ${errors[0]?.message}`,
    errors,
  );
}
