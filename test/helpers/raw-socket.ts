import { connect } from 'node:net';

/** Everything a server sent back on one raw TCP connection. */
export interface SocketReply {
  bytes: Buffer;
  /** False when the server was still silent (and the connection open) at the timeout. */
  closed: boolean;
  /** A socket error such as ECONNRESET, if one ended the exchange. */
  error?: string;
}

/**
 * Writes bytes on a fresh TCP connection to the sandbox and collects everything until the server
 * closes it, for input no HTTP client would send (a raw space in the URL, bytes that are not HTTP).
 */
export function socketExchange(
  baseUrl: string,
  bytes: Buffer | string,
  timeoutMs = 5000,
): Promise<SocketReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), closed: false });
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), closed: true, ...(error === undefined ? {} : { error }) });
    });
    socket.end(bytes);
  });
}

/** A parsed HTTP/1.x response: status, lower-case header names, body cut at Content-Length. */
export interface ParsedHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Parses the first final HTTP/1.x response in bytes, skipping interim 1xx answers as every HTTP/1.1
 * client must (RFC 9110 §15.2); undefined when they do not start with one.
 */
export function parseHttpResponse(bytes: Buffer): ParsedHttpResponse | undefined {
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 16).toString('latin1'))) {
    const interimEnd = bytes.indexOf('\r\n\r\n');
    if (interimEnd < 0) return undefined;
    bytes = bytes.subarray(interimEnd + 4);
  }
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(end + 4);
  const length = headers['content-length'];
  return {
    status: Number(m[1]),
    headers,
    body: length === undefined ? rest : rest.subarray(0, Number(length)),
  };
}
