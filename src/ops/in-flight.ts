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
  // The responses in flight, each in a slot of an array that only grows; `free` lists the empty slots.
  // Not a Set: under load a Set of requests empties and fills again every event-loop turn, and V8
  // then replaces its table again and again, each replaced table linked to its successor. Once a
  // full collection had moved the current table to the old generation, the requests' objects
  // outlived the young generation's collections: 200 times as much promoted, full collections every
  // second, and the query's p99 at 11-15 ms instead of 4-8 (docs/performance-history.md).
  const slots: (ServerResponse | undefined)[] = [];
  const free: number[] = [];
  let size = 0;
  let draining = false;
  let onIdle: (() => void) | undefined;

  // Before the application's own listener, which may answer synchronously within the same event.
  server.prependListener('request', (_req, res: ServerResponse) => {
    const slot = free.pop() ?? slots.length;
    slots[slot] = res;
    size += 1;
    // A request that arrives on a kept-alive connection while draining is still served, but its
    // connection closes after the answer so the client reconnects to another instance.
    if (draining) res.shouldKeepAlive = false;
    // 'close' also fires when the connection dies first (client gone, transport fault rule).
    res.once('close', () => {
      slots[slot] = undefined;
      free.push(slot);
      size -= 1;
      if (size === 0) onIdle?.();
    });
  });

  return {
    count: () => size,
    draining: () => draining,
    drain(graceMs) {
      draining = true;
      for (const res of slots) if (res !== undefined && !res.headersSent) res.shouldKeepAlive = false;
      if (size === 0) return Promise.resolve(0);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          onIdle = undefined;
          resolve(size);
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
