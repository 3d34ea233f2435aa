import type { FastifyReply } from 'fastify';

/** Stable error codes of the admin API, with their HTTP status. */
export const PROBLEM_CODES = {
  unauthorized: 401,
  forbidden: 403,
  host_not_allowed: 403,
  cross_site_request: 403,
  not_found: 404,
  conflict: 409,
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  too_many_requests: 429,
  internal_error: 500,
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODES;

/** An admin API failure, answered as application/problem+json (RFC 9457) with a stable `code`. */
export class Problem extends Error {
  override readonly name = 'Problem';
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: Array<{ field: string; message: string }>,
    /** Sent as Retry-After (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

/** Sends a problem document. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const status = PROBLEM_CODES[problem.code];
  if (problem.retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(problem.retryAfterSeconds));
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `https://alipay-mock.dev/problems/${problem.code}`,
      title: problem.code.replace(/_/g, ' '),
      status,
      code: problem.code,
      detail: problem.detail,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}
