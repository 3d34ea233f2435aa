import type { FastifyInstance } from 'fastify';
import { buyerRoutes } from './buyer-routes.js';
import type { ConsoleContext } from './console-page.js';
import { overviewRoutes } from './overview-routes.js';
import { requestLogRoutes } from './request-log-routes.js';
import { checkRoutes } from './check-routes.js';
import { ruleFileRoutes } from './rule-file-routes.js';
import { ruleRoutes } from './rule-routes.js';
import { tradeRoutes } from './trade-routes.js';
import { tryItRoutes } from './try-it-routes.js';

/** The pages of one merchant, under /m/:partner (access is checked once, in console-plugin.ts). */
export function merchantRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  overviewRoutes(app, ctx);
  buyerRoutes(app, ctx);
  ruleRoutes(app, ctx);
  ruleFileRoutes(app, ctx);
  requestLogRoutes(app, ctx);
  tradeRoutes(app, ctx);
  tryItRoutes(app, ctx);
  checkRoutes(app, ctx);
}
