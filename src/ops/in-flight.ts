import type { Server, ServerResponse } from 'node:http';

/** Counts the HTTP requests a server is working on, and lets a shutdown wait for them. */
export interface InFlightTracker {
  /** Requests received whose answer is not finished (and whose connection is still open). */
  count(): number;
  /** True once drain() was called: the process is shutting down. */
  draining(): boolean;
  /**
   * Answers from now on close their connection (no keep-alive), then waits until nothing is in
   * flight, at most graceMs. Resolves with how many requests were still unanswered.
   */
  drain(graceMs: number): Promise<number>;
}

/** Starts counting the server's requests (call before it listens). */
export function trackInFlight(server: Server): InFlightTracker {
  const active = new Set<ServerResponse>();
  let draining = false;
  let onIdle: (() => void) | undefined;

  // Before the application's own listener, which may answer synchronously within the same event.
  server.prependListener('request', (_req, res: ServerResponse) => {
    active.add(res);
    // A request that arrives on a kept-alive connection while draining is still served, but its
    // connection closes after the answer so the client reconnects to another instance.
    if (draining) res.shouldKeepAlive = false;
    // 'close' also fires when the connection dies first (client gone, transport fault rule).
    res.once('close', () => {
      active.delete(res);
      if (active.size === 0) onIdle?.();
    });
  });

  return {
    count: () => active.size,
    draining: () => draining,
    drain(graceMs) {
      draining = true;
      for (const res of active) if (!res.headersSent) res.shouldKeepAlive = false;
      if (active.size === 0) return Promise.resolve(0);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          onIdle = undefined;
          resolve(active.size);
        }, graceMs);
        onIdle = () => {
          clearTimeout(timer);
          onIdle = undefined;
          resolve(0);
        };
      });
    },
  };
}
