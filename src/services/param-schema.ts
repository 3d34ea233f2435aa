import type { z } from 'zod';
import type { ParamCheck } from './service-definition.js';

/**
 * Runs a service's zod schema over the parameters. A failure is a gateway-level ILLEGAL_ARGUMENT
 * (missing or malformed parameter, docs/reference/alipay-mapi-protocol.md §9.7 step 7) with a reason naming the field.
 */
export function checkSchema<S extends z.ZodType>(
  schema: S,
  params: Readonly<Record<string, string>>,
): ParamCheck<z.infer<S>> {
  const result = schema.safeParse(params);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') ?? '?';
  const what = issue?.code === 'invalid_type' ? 'is required' : (issue?.message ?? 'is invalid');
  return { ok: false, kind: 'gateway', reason: `${field} ${what}` };
}

/** A business INVALID_PARAMETER failure with a reason for the request log. */
export function invalidParameter<T>(reason: string): ParamCheck<T> {
  return { ok: false, kind: 'business', error: 'INVALID_PARAMETER', reason };
}
