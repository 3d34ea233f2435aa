// The notification outbox (docs/notifications.md): its records and the port that keeps them.

/** Where a notification is in its life: waiting (or retrying), answered `success`, given up, or never sent. */
export const NOTIFICATION_STATUSES = ['pending', 'delivered', 'failed', 'suppressed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** `notify_action_type` values the sandbox sends (docs/reference/alipay-mapi-protocol.md §12). */
export const NOTIFY_ACTIONS = [
  'payByAccountAction',
  'closeTradeAction',
  'reverseAction',
  'refundFPAction',
] as const;
export type NotifyAction = (typeof NOTIFY_ACTIONS)[number];

/** How a mock rule changes the notification of the request it answers (a rule's `notify`, docs/rules.md). */
export const NOTIFY_MODES = [
  'normal',
  'suppress',
  'delay',
  'duplicate',
  'out_of_order',
  'bad_signature',
] as const;

/** One of NOTIFY_MODES. */
export type NotifyMode = (typeof NOTIFY_MODES)[number];

/** One asynchronous notification in the outbox. */
export interface Notification {
  id: string;
  /** Queueing order, shared by every instance; deliveries of one trade follow it. */
  seq: number;
  partner: string;
  /** Random and unique per notification; a `duplicate` copy shares it with its original. */
  notifyId: string;
  url: string;
  /** The parameters as queued; `notify_time`, `sign_type` and `sign` are added at every attempt. */
  params: Record<string, string>;
  action: NotifyAction;
  alipayTransId: string;
  partnerTransId: string;
  partnerRefundId: string | null;
  mode: NotifyMode;
  status: NotificationStatus;
  attempts: number;
  /** Process time when the next attempt is due (meaningful while pending). */
  nextAttemptAt: Date;
  /** `out_of_order`: held back until another notification of the same trade is finished. */
  held: boolean;
  /** For the second copy of a `duplicate` notification: the id of the first. */
  copyOf: string | null;
  /** Process time of queueing. */
  createdAt: Date;
  /** Process time of the attempt that got `success`. */
  deliveredAt: Date | null;
  /** Sandbox time of the latest attempt's start; notify_verify's validity counts from it. */
  lastSentAt: Date | null;
}

/** A notification as queued, before any attempt. */
export type NewNotification = Omit<Notification, 'attempts' | 'deliveredAt' | 'lastSentAt'>;

/** One HTTP attempt to deliver a notification. */
export interface NotificationAttempt {
  notificationId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Process time the attempt started. */
  at: Date;
  requestBody: string;
  /** null when no HTTP answer came (timeout, refused connection). */
  responseStatus: number | null;
  /** The answer's body, truncated. */
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

/** What one finished attempt changes: the attempt itself, and where the notification goes next. */
export interface NotificationAttemptResult {
  attempt: Omit<NotificationAttempt, 'notificationId' | 'attempt'>;
  status: 'pending' | 'delivered' | 'failed';
  /** When pending: the next attempt; otherwise ignored. */
  nextAttemptAt: Date | null;
  /** Process time now: deliveredAt when delivered, and the release time of held notifications of the trade. */
  now: Date;
}

/** Filter of the outbox list; newest first. */
export interface NotificationFilter {
  partner: string;
  /** Matches alipayTransId or partnerTransId. */
  tradeId?: string | undefined;
  notifyId?: string | undefined;
  status?: NotificationStatus | undefined;
  /** Default 50, max 500. */
  limit?: number | undefined;
}

/** The notification outbox: claimed and settled by the delivery workers, read and resent by people. */
export interface NotificationOutbox {
  /**
   * Claims up to `limit` pending notifications due at `now` for one delivery round, leased until
   * `leaseUntil` under `token`. Atomic: of several instances, one claims each notification. With
   * `perPartner`, no merchant gets more than that many live claims (its deliveries in flight).
   */
  claimDueNotifications(opts: {
    now: Date;
    leaseUntil: Date;
    token: string;
    limit: number;
    perPartner?: number | undefined;
  }): Promise<Notification[]>;
  /** Records the sandbox time an attempt starts (notify_verify counts from it); false when the claim was lost. */
  markNotificationSent(id: string, token: string, sentAt: Date): Promise<boolean>;
  /** Records a finished attempt and the notification's next state; false when the claim was lost. */
  finishNotificationAttempt(id: string, token: string, result: NotificationAttemptResult): Promise<boolean>;
  /** Gives a claimed notification back without an attempt (shutdown mid-delivery). */
  releaseNotificationClaim(id: string, token: string): Promise<void>;
  /** One merchant's notifications, newest first. */
  listNotifications(filter: NotificationFilter): Promise<Notification[]>;
  getNotification(partner: string, id: string): Promise<Notification | undefined>;
  /** The attempts of these notifications, ordered by notification and attempt. */
  listNotificationAttempts(ids: readonly string[]): Promise<NotificationAttempt[]>;
  /** Makes the notification pending and due at `now` (process time); undefined when unknown. */
  resendNotification(partner: string, id: string, now: Date): Promise<Notification | undefined>;
  /** Deletes all but the newest maxEntries finished notifications, with their attempts. */
  pruneNotifications(opts: { maxEntries: number }): Promise<number>;
}
