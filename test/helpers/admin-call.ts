/** An admin API answer: status, parsed JSON body ({} when empty) and content type. */
export interface ApiAnswer {
  status: number;
  json: Record<string, unknown>;
  contentType: string | null;
}

/** Calls the admin API with JSON and returns status and parsed body. */
export function api(baseUrl: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  return send(undefined, baseUrl, method, path, body);
}

/** Like `api`, with `Authorization: Bearer <token>` (the admin token or a merchant API key). */
export function apiWith(
  token: string,
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer> {
  return send(token, baseUrl, method, path, body);
}

async function send(
  token: string | undefined,
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
): Promise<ApiAnswer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    contentType: res.headers.get('content-type'),
  };
}
