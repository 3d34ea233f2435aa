import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { stdSerializers } from 'pino';

/**
 * Log paths pino replaces with "[Redacted]": credentials in request headers (admin token, merchant API
 * key, console session cookie) and any secret-named field of an object that gets logged.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...['md5Key', 'md5_key', 'password', 'passwordHash', 'adminToken', 'token', 'secret', 'apiKey'].flatMap(
    (name) => [name, `*.${name}`],
  ),
];

// PostgreSQL errors quote row values here ("Failing row contains (…, <md5 key>, …)"): never logged.
const ROW_DATA_FIELDS = ['detail', 'where', 'internalQuery', 'parameters'] as const;

function withoutRowData(value: unknown, depth: number): unknown {
  if (depth > 3 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutRowData(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(ROW_DATA_FIELDS as readonly string[]).includes(key)) out[key] = withoutRowData(v, depth + 1);
  }
  return out;
}

/** An error as it appears in a log line. */
export interface LoggedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/** pino's error serializer without the fields in which database errors echo row data. */
export function serializeError(err: Error): LoggedError {
  const { type, message, stack, ...rest } = stdSerializers.err(err);
  return { ...(withoutRowData(rest, 0) as Record<string, unknown>), type, message, stack };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Request ids unique across instances: the `X-Request-Id` a proxy sent (nginx `$request_id`, see
 * docs/deployment.md) when it is a plain token, else `<instance prefix>-<counter>`.
 */
export function createRequestIdGenerator(): (req: IncomingMessage) => string {
  const prefix = randomBytes(3).toString('hex');
  let counter = 0;
  return (req) => {
    const given = req.headers['x-request-id'];
    if (typeof given === 'string' && REQUEST_ID.test(given)) return given;
    counter += 1;
    return `${prefix}-${counter.toString(36)}`;
  };
}
