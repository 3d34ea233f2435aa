/** Bounds on the gateway requests that hang and delay rules hold open. */
export interface HeldConnectionLimits {
  total: number;
  perMerchant: number;
}

/** Counts the gateway requests held open by hang and delay rules, per merchant and in total. */
export interface HeldConnections {
  /** Takes a place for a request of this merchant: its release function, or undefined when a bound is reached. */
  tryHold(partner: string): (() => void) | undefined;
  /** Requests held now. */
  count(): number;
}

/**
 * Keeps one merchant (or all of them together) from holding every connection the process can
 * have: each held request keeps a socket, and the process has a limited number of descriptors.
 */
export function createHeldConnections(limits: HeldConnectionLimits): HeldConnections {
  const byPartner = new Map<string, number>();
  let total = 0;
  return {
    tryHold(partner) {
      const mine = byPartner.get(partner) ?? 0;
      if (total >= limits.total || mine >= limits.perMerchant) return undefined;
      total += 1;
      byPartner.set(partner, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byPartner.get(partner) ?? 1) - 1;
        if (left === 0) byPartner.delete(partner);
        else byPartner.set(partner, left);
      };
    },
    count: () => total,
  };
}
