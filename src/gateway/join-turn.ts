/** How one request's answer is sent: `send` runs now or at the end of the request's turn (joinTurn). */
export type Deliver = (send: () => void) => void;

/** Answers of requests that arrived in the current event-loop turn, waiting for its end. */
let waiting: (() => void)[] | undefined;

function endTurn(): void {
  const answers = waiting ?? [];
  waiting = undefined;
  for (const send of answers) send();
}

/**
 * Called when a request has arrived; returns how its answer is sent. An answer ready in the same
 * event-loop turn (a rule hit, a query on SQLite: everything ran synchronously) waits for the turn's
 * end, one `setImmediate` shared by the turn, and leaves with the other answers of the requests that
 * arrived together. An answer ready in a later turn (a pay after its group commit, anything on
 * PostgreSQL) leaves at once: the turn it arrived in is over, and answers ready together in a
 * commit's turn already leave back to back.
 *
 * Why: under load, an answer written alone wakes its client, which sends its next request at once; the
 * sandbox then wrote answers one by one between requests that trickled in, and the kernel's wake-ups
 * cost it ≈ 30 µs of CPU per request on a virtual machine, a third of a rule hit (docs/performance-history.md).
 * A lone request waits for nothing: its turn ends as soon as it has been answered.
 *
 * `send` must not throw: the other answers of the turn are sent by the same loop.
 */
export function joinTurn(): Deliver {
  if (waiting === undefined) {
    waiting = [];
    setImmediate(endTurn);
  }
  const turn = waiting;
  return (send) => {
    if (waiting === turn) turn.push(send);
    else send();
  };
}
