/** A minimal browser stand-in for the web console over real HTTP: cookies, CSRF token, same Origin. */

/** One HTTP answer of the console, body as text. */
export interface ConsoleResponse {
  status: number;
  location: string | null;
  setCookies: string[];
  text: string;
  headers: Headers;
}

/** What a signed-in client carries. */
export interface ConsoleSessionCookies {
  /** `amock_session=…` */
  cookie: string;
  /** The session's CSRF token, read from a page's hidden field. */
  csrf: string;
}

/** The value of a cookie set by a response, or undefined. */
export function cookieValue(setCookies: readonly string[], name: string): string | undefined {
  for (const c of setCookies) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return undefined;
}

/** The first hidden `_csrf` value of a page. */
export function csrfOf(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m?.[1]) throw new Error('no CSRF field on the page');
  return m[1];
}

/** Sends one request without following redirects; a form body is urlencoded and sent from this origin. */
export async function consoleRequest(
  baseUrl: string,
  path: string,
  opts: {
    method?: string;
    cookie?: string;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<ConsoleResponse> {
  const headers: Record<string, string> = { ...(opts.cookie ? { cookie: opts.cookie } : {}) };
  let body: string | undefined;
  if (opts.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['origin'] = baseUrl;
    body = new URLSearchParams(opts.form).toString();
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method: opts.method ?? (opts.form ? 'POST' : 'GET'),
    headers: { ...headers, ...opts.headers },
    body,
    redirect: 'manual',
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    setCookies: res.headers.getSetCookie(),
    text: await res.text(),
    headers: res.headers,
  };
}

/** The sign-in form's cookie and token. */
export async function loginForm(baseUrl: string): Promise<{ cookie: string; token: string }> {
  const page = await consoleRequest(baseUrl, '/login');
  const value = cookieValue(page.setCookies, 'amock_login');
  if (value === undefined) throw new Error('no sign-in cookie');
  return { cookie: `amock_login=${value}`, token: csrfOf(page.text) };
}

/** Signs in with email and password; the answer of the sign-in POST. */
export async function postLogin(
  baseUrl: string,
  email: string,
  password: string,
  extraCookie = '',
): Promise<ConsoleResponse> {
  const form = await loginForm(baseUrl);
  return consoleRequest(baseUrl, '/login', {
    cookie: [form.cookie, extraCookie].filter(Boolean).join('; '),
    form: { _csrf: form.token, email, password },
  });
}

/** Signs in and reads the session's CSRF token from the page it lands on. */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
): Promise<ConsoleSessionCookies> {
  const res = await postLogin(baseUrl, email, password);
  const id = cookieValue(res.setCookies, 'amock_session');
  if (res.status !== 303 || !id) throw new Error(`sign-in failed: HTTP ${res.status}`);
  const cookie = `amock_session=${id}`;
  const landing = await consoleRequest(baseUrl, res.location ?? '/', { cookie });
  return { cookie, csrf: csrfOf(landing.text) };
}

/** Signs in as the operator (loopback without a token, or with the admin token). */
export async function signInOperator(baseUrl: string, token = ''): Promise<ConsoleSessionCookies> {
  const form = await loginForm(baseUrl);
  const res = await consoleRequest(baseUrl, '/login/operator', {
    cookie: form.cookie,
    form: { _csrf: form.token, token },
  });
  const id = cookieValue(res.setCookies, 'amock_session');
  if (res.status !== 303 || !id) throw new Error(`operator sign-in failed: HTTP ${res.status}`);
  const cookie = `amock_session=${id}`;
  const landing = await consoleRequest(baseUrl, '/operator', { cookie });
  return { cookie, csrf: csrfOf(landing.text) };
}
