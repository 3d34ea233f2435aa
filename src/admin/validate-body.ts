import type { z } from 'zod';
import { Problem } from './problem.js';

/** Parses a JSON body with a zod schema; a failure is an `invalid_request` problem listing each field. */
export function validateBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => ({
    field: i.path.join('.') || '(body)',
    message: i.message,
  }));
  throw new Problem(
    'invalid_request',
    `request body is invalid: ${errors[0]?.field}: ${errors[0]?.message}`,
    errors,
  );
}
