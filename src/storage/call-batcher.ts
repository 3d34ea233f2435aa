/** Calls of one operation, made one at a time, run as batches: `run` takes items, answers in order. */
export type BatchRunner<I, O> = (items: readonly I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the calls made within one event-loop turn, and those made while a batch is out, into the
 * next batch of at most `maxBatch`; one batch is out at a time. The spot pays run this way
 * (kysely-store.ts): they all take the id sequence's row, so the store runs them one after another
 * anyway, and a batch pays one transaction for all of its pays, on PostgreSQL one round trip, one
 * wake-up and one commit.
 *
 * When a batch fails, its items run again one by one, each a batch of its own, so that one bad item
 * fails its own call only (a batch is one transaction: nothing of it stayed); `onSplit` hears of it.
 */
export function createCallBatcher<I, O>(
  run: BatchRunner<I, O>,
  maxBatch: number,
  onSplit: () => void = () => undefined,
): (item: I) => Promise<O> {
  const waiting: Waiting<I, O>[] = [];
  let out = false;
  let scheduled = false;

  function schedule(): void {
    if (scheduled || out || waiting.length === 0) return;
    scheduled = true;
    // setImmediate, not a microtask: the calls of this turn's other requests join the batch.
    setImmediate(() => void send());
  }

  async function send(): Promise<void> {
    scheduled = false;
    out = true;
    try {
      await settle(waiting.splice(0, maxBatch));
    } finally {
      out = false;
      schedule();
    }
  }

  async function settle(batch: Waiting<I, O>[]): Promise<void> {
    let outs: O[];
    try {
      outs = await run(batch.map((w) => w.item));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      onSplit();
      await Promise.all(batch.map((w) => settle([w])));
      return;
    }
    batch.forEach((w, i) => w.resolve(outs[i]!));
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
}
