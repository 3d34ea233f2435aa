import type { ServerResponse } from 'node:http';

/** How often a half-closed connection is checked for a client that has gone altogether. */
const PROBE_INTERVAL_MS = 200;

/**
 * Frees a held request's connection as soon as its client has gone, instead of when the hang or
 * delay ends. A client that resets is gone at once (Node closes the socket). A client's FIN is
 * either a half-close (it still reads the answer, RFC 9112 §9.6) or a full close: TCP tells them
 * apart only when data arrives, which a closed socket answers with a reset. So on FIN the request
 * gets an interim `102 Processing` (every HTTP/1.1 client must read and skip 1xx answers, RFC 9110
 * §15.2), and an empty write every PROBE_INTERVAL_MS then fails on a reset connection, which
 * closes it. HTTP/1.0 has no interim answers: there a FIN is taken as the client leaving.
 */
export function releaseWhenClientLeaves(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  let timer: NodeJS.Timeout | undefined;
  const onEnd = () => {
    if (res.writableEnded || socket.destroyed) return;
    if (res.req.httpVersionMajor === 1 && res.req.httpVersionMinor === 0) {
      socket.destroy();
      return;
    }
    if (!res.headersSent) res.writeProcessing();
    timer = setInterval(() => {
      if (!socket.destroyed) socket.write('');
    }, PROBE_INTERVAL_MS);
    timer.unref();
  };
  const stop = () => {
    socket.off('end', onEnd);
    clearInterval(timer);
  };
  res.once('finish', stop);
  res.once('close', stop);
  if (socket.readableEnded) onEnd();
  else socket.once('end', onEnd);
}
