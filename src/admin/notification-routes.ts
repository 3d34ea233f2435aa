import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Store } from '../storage/store.js';
import {
  NOTIFICATION_STATUSES,
  type Notification,
  type NotificationAttempt,
} from '../ports/notification-outbox.js';
import { Problem } from './problem.js';
import { validateBody } from './validate-body.js';

/** Query of GET /api/merchants/:partner/notifications. */
export const NOTIFICATION_LIST_QUERY = z.object({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  tradeId: z.string().max(64).optional(),
  notifyId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** JSON view of an attempt. */
export function attemptJson(a: NotificationAttempt) {
  return {
    attempt: a.attempt,
    at: a.at.toISOString(),
    requestBody: a.requestBody,
    responseStatus: a.responseStatus,
    responseBody: a.responseBody,
    error: a.error,
    durationMs: a.durationMs,
  };
}

/** JSON view of a notification with its attempts (oldest first). */
export function notificationJson(n: Notification, attempts: readonly NotificationAttempt[]) {
  return {
    ...n,
    nextAttemptAt: n.status === 'pending' ? n.nextAttemptAt.toISOString() : null,
    createdAt: n.createdAt.toISOString(),
    deliveredAt: iso(n.deliveredAt),
    lastSentAt: iso(n.lastSentAt),
    attemptLog: attempts.filter((a) => a.notificationId === n.id).map(attemptJson),
  };
}

async function withAttempts(store: Store, list: Notification[]) {
  const attempts = await store.listNotificationAttempts(list.map((n) => n.id));
  return list.map((n) => notificationJson(n, attempts));
}

/**
 * /api/merchants/:partner/notifications: the outbox of one merchant (docs/admin-api.md). `kick`
 * makes the delivery worker look at once, so a resend goes out now rather than at the next poll.
 */
export function notificationRoutes(app: FastifyInstance, store: Store, clock: Clock, kick: () => void): void {
  app.get<{ Params: { partner: string } }>('/api/merchants/:partner/notifications', async (req) => {
    const q = validateBody(NOTIFICATION_LIST_QUERY, req.query);
    const items = await store.listNotifications({ partner: req.params.partner, ...q });
    return { items: await withAttempts(store, items) };
  });

  app.get<{ Params: { partner: string; id: string } }>(
    '/api/merchants/:partner/notifications/:id',
    async (req) => {
      const { partner, id } = req.params;
      const n = await store.getNotification(partner, id);
      if (!n) throw new Problem('not_found', `notification ${id} of merchant ${partner} does not exist`);
      return (await withAttempts(store, [n]))[0];
    },
  );

  app.post<{ Params: { partner: string; id: string } }>(
    '/api/merchants/:partner/notifications/:id/resend',
    async (req, reply) => {
      const { partner, id } = req.params;
      const n = await store.resendNotification(partner, id, clock.now());
      if (!n) throw new Problem('not_found', `notification ${id} of merchant ${partner} does not exist`);
      kick();
      return reply.code(202).send((await withAttempts(store, [n]))[0]);
    },
  );
}
