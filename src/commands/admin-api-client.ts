import { UsageError } from './usage-error.js';

/** Default sandbox of the `rules` commands: one started with `alipay-mock serve`. */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:8080';

/** The admin API answered with an error, or could not be reached. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A small JSON client of a sandbox's admin API (docs/admin-api.md). */
export interface AdminApiClient {
  readonly baseUrl: string;
  /** Sends one call; 2xx answers resolve with the parsed body (undefined for 204), others throw AdminApiError. */
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
}

/**
 * The sandbox's base URL from what a person types: `http://host:8080`, with or without a trailing
 * slash, `/gateway.do` or `/api`.
 */
export function adminBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--gateway must be a URL such as ${DEFAULT_ADMIN_URL}, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--gateway must be http:// or https://, got "${text}"`);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(gateway\.do|api)$/, '');
  return `${url.origin}${path}`;
}

function problemText(status: number, text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: unknown; code?: unknown };
    if (typeof problem.detail === 'string') return `${problem.detail} (HTTP ${status})`;
  } catch {
    // not JSON: show the start of the text
  }
  return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

/** Creates the client; `token` is sent as `Authorization: Bearer …` when given. */
export function createAdminApiClient(gatewayUrl: string, token: string | undefined): AdminApiClient {
  const baseUrl = adminBaseUrl(gatewayUrl);
  return {
    baseUrl,
    async call(method, path, body) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await fetch(`${baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message ?? (err as Error).message;
        throw new AdminApiError(`cannot reach the admin API at ${baseUrl}: ${why}`);
      }
      const text = await res.text();
      if (!res.ok) throw new AdminApiError(`${method} ${path}: ${problemText(res.status, text)}`, res.status);
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    },
  };
}
