import type { StoreChange, StoreSubscription } from '../ports/change-feed.js';
import type { StoreDialect } from './store-dialect.js';

/** Store.onChange for one store: fans the dialect's single change feed out to every subscriber. */
export interface ChangeHub {
  subscribe(listener: (change: StoreChange) => void): StoreSubscription;
  /** Ends the feed (store close); later subscriptions hear nothing. */
  close(): Promise<void>;
}

/** Creates the hub; the dialect's feed (a database connection) opens on the first subscription only. */
export function createChangeHub(dialect: StoreDialect): ChangeHub {
  const listeners = new Set<(change: StoreChange) => void>();
  let feed: { ready: Promise<void>; close(): Promise<void> } | undefined;
  let closed = false;

  function publish(change: StoreChange): void {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch {
        // One subscriber's bug must not keep the others from hearing the change.
      }
    }
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!closed && dialect.listenForChanges) feed ??= dialect.listenForChanges(publish);
      return {
        ready: feed?.ready ?? Promise.resolve(),
        unsubscribe: () => void listeners.delete(listener),
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      await feed?.close();
      feed = undefined;
    },
  };
}
