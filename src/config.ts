import { z } from 'zod';
import { DEFAULT_CNY_RATES } from './ledger/rates.js';
import { DEFAULT_NOTIFY_SCHEDULE, parseNotifySchedule } from './notify/retry-schedule.js';

/** Every setting of a sandbox process, validated and frozen. */
export interface Config {
  port: number;
  host: string;
  /** Storage URL: `sqlite:./file.db`, `sqlite::memory:` or `postgres://…`. */
  db: string;
  /** Bearer token of the admin API; without one the API answers only on loopback. */
  adminToken: string | undefined;
  /** Largest accepted request body (and URL) in bytes. */
  bodyLimit: number;
  /** Unpaid trades close after this many seconds. */
  unpaidTimeoutSeconds: number;
  /** Paid trades stop being refundable (TRADE_FINISHED) after this many days. */
  refundWindowDays: number;
  /** Currency → CNY rates used for `exchange_rate` and CNY amounts. */
  rates: Readonly<Record<string, string>>;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The request log keeps this many newest entries. */
  requestLogMax: number;
  /** Create the demo merchant and buyers when the store is empty. */
  seedDemo: boolean;
  /** Rule file (YAML or JSON) loaded at start and reloaded when it changes (docs/rules.md). */
  rules: string | undefined;
  /** Waits in ms between notification attempts; after the last the notification fails (docs/notifications.md). */
  notifySchedule: readonly number[];
  /** A notification attempt without a complete answer in this many ms failed. */
  notifyTimeoutMs: number;
  /** notify_verify answers true this long after a notification was sent (sandbox clock). */
  notifyVerifyValiditySeconds: number;
  /** PostgreSQL only: connections in the pool of this instance (plus one for LISTEN). */
  dbPoolSize: number;
  /** PostgreSQL only: schema holding the tables (created when missing); default the server's search path. */
  dbSchema: string | undefined;
  /** On SIGTERM/SIGINT, in-flight requests get this long to finish before their connections are closed. */
  shutdownGraceSeconds: number;
  /** Host names (besides loopback ones) the admin API and the tokenless operator answer to without a token. */
  allowedHosts: readonly string[];
  /** Fastify's trustProxy: which proxies' X-Forwarded-For/-Proto/-Host are believed (false: none). */
  trustProxy: boolean | number | readonly string[];
  /** The request log's entries together keep at most this many bytes of raw request, parameters and answer. */
  requestLogMaxBytes: number;
  /** Gateway requests waiting on a hang or delay rule at once, all merchants together. */
  maxHeldConnections: number;
  /** Gateway requests waiting on a hang or delay rule at once, for one merchant. */
  maxHeldConnectionsPerMerchant: number;
}

/** The least room an entry of the request log may get (--request-log-max-bytes / --request-log-max). */
export const MIN_REQUEST_LOG_ENTRY_BYTES = 2048;

/** Flags as the command line gives them (already split by the CLI parser). */
export type ConfigFlags = Partial<Record<keyof Config, string | number | boolean | undefined>>;

const RATE_ENTRY = /^([A-Z]{3})=(\d+(?:\.\d{1,8})?)$/;

/** A host name or an IPv4/IPv6 address, without port or scheme. */
const HOST_NAME = /^[a-z0-9_.-]{1,253}$|^\[?[0-9a-f:.]+\]?$/;
/** An IPv4/IPv6 address, optionally with a CIDR prefix length. */
const PROXY_ADDRESS = /^[0-9a-fA-F:.]+(?:\/\d{1,3})?$/;

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  db: z.string().min(1).default('sqlite:./alipay-mock.db'),
  adminToken: z.string().min(8, 'admin token must have at least 8 characters').optional(),
  bodyLimit: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(256 * 1024),
  unpaidTimeoutSeconds: z.coerce.number().int().min(1).default(180),
  refundWindowDays: z.coerce.number().int().min(1).default(365),
  rates: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const table: Record<string, string> = { ...DEFAULT_CNY_RATES };
      for (const entry of (text ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const m = RATE_ENTRY.exec(entry);
        if (!m?.[1] || !m[2]) {
          ctx.addIssue({ code: 'custom', message: `rate "${entry}" must look like USD=7.1234` });
          return z.NEVER;
        }
        table[m[1]] = m[2];
      }
      return Object.freeze(table);
    }),
  requestLogMax: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  seedDemo: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .default(true),
  rules: z.string().min(1).optional(),
  notifySchedule: z
    .string()
    .default(DEFAULT_NOTIFY_SCHEDULE)
    .transform((text, ctx) => {
      try {
        return Object.freeze(parseNotifySchedule(text));
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  notifyTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(5000),
  notifyVerifyValiditySeconds: z.coerce.number().int().min(1).max(86_400).default(300),
  dbPoolSize: z.coerce.number().int().min(1).max(1000).default(10),
  dbSchema: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain identifier (letters, digits, _)')
    .optional(),
  shutdownGraceSeconds: z.coerce.number().min(0).max(3600).default(10),
  allowedHosts: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const hosts = text
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const bad = hosts.find((h) => !HOST_NAME.test(h));
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${bad}" is not a host name or address (no port, no scheme)`,
        });
        return z.NEVER;
      }
      return Object.freeze(hosts);
    }),
  trustProxy: z
    .union([z.boolean(), z.string()])
    .default(false)
    .transform((value, ctx): boolean | number | readonly string[] => {
      if (typeof value === 'boolean') return value;
      const text = value.trim();
      if (text === 'true' || text === 'false') return text === 'true';
      if (/^\d{1,2}$/.test(text)) return Number(text);
      const list = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = list.find((a) => !PROXY_ADDRESS.test(a));
      if (list.length === 0 || bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be true, false, a hop count or addresses/CIDRs separated by commas, got "${bad ?? text}"`,
        });
        return z.NEVER;
      }
      return Object.freeze(list);
    }),
  requestLogMaxBytes: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(2 ** 46)
    .default(1024 * 1024 * 1024),
  maxHeldConnections: z.coerce.number().int().min(1).max(100_000).default(512),
  maxHeldConnectionsPerMerchant: z.coerce.number().int().min(1).max(100_000).default(64),
});

/** Environment variable of each setting: ALIPAY_MOCK_ + the name in SCREAMING_SNAKE_CASE. */
export function envName(key: keyof Config): string {
  return `ALIPAY_MOCK_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function flagName(key: keyof Config): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Thrown for an invalid setting; the message names the flag and the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Builds the configuration with precedence flag > environment (`ALIPAY_MOCK_*`) > default.
 * The only place that reads the environment.
 */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape) as (keyof Config)[]) {
    const value = flags[key] ?? env[envName(key)];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? '?') as keyof Config;
    throw new ConfigError(`invalid ${flagName(key)} / ${envName(key)}: ${issue?.message ?? 'invalid'}`);
  }
  const { requestLogMax, requestLogMaxBytes } = result.data;
  if (requestLogMaxBytes / requestLogMax < MIN_REQUEST_LOG_ENTRY_BYTES) {
    throw new ConfigError(
      `invalid ${flagName('requestLogMaxBytes')} / ${envName('requestLogMaxBytes')}: ` +
        `${requestLogMaxBytes} bytes leave less than ${MIN_REQUEST_LOG_ENTRY_BYTES} per entry for ${requestLogMax} entries`,
    );
  }
  return Object.freeze({ adminToken: undefined, rules: undefined, dbSchema: undefined, ...result.data });
}

/** The admin token from the environment, for CLI commands that call a running sandbox's admin API. */
export function adminTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[envName('adminToken')] || undefined;
}
