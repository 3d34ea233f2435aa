import { QUERY_SERVICE } from '../protocol/constants.js';
import { z } from 'zod';
import type { Merchant, Trade } from '../ledger/model.js';
import { checkSchema } from './param-schema.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';
import { needsSettling, settleTrade } from '../ledger/settle-trade.js';
import { queryFields } from '../ledger/trade-fields.js';

const schema = z.object({
  partner_trans_id: z.string().max(64).optional(),
  alipay_trans_id: z.string().max(64).optional(),
});

/** A query request after its checks: at least one of the two ids. */
export interface QueryInput {
  partnerTransId: string | undefined;
  alipayTransId: string | undefined;
}

function parse(params: Readonly<Record<string, string>>): ParamCheck<QueryInput> {
  const checked = checkSchema(schema, params);
  if (!checked.ok) return checked;
  const { partner_trans_id: partnerTransId, alipay_trans_id: alipayTransId } = checked.value;
  if (partnerTransId === undefined && alipayTransId === undefined) {
    return { ok: false, kind: 'gateway', reason: 'partner_trans_id or alipay_trans_id is required' };
  }
  return { ok: true, value: { partnerTransId, alipayTransId } };
}

function failure(error: string): ServiceResult['fields'] {
  return { error, result_code: 'FAIL' };
}

/** Only pending trades that resolve "after N queries" count queries: a query stays read-only otherwise. */
function countsQueries(trade: Trade): boolean {
  return trade.status === 'WAIT_BUYER_PAY' && Boolean(trade.resolution?.afterQueries);
}

/** Reads a trade (settling what time has done to it first); alipay_trans_id wins (§6.1). */
async function run(
  deps: ServiceDeps,
  merchant: Merchant,
  input: QueryInput,
  now: Date,
): Promise<ServiceResult> {
  // Most queries change nothing: answer from a plain read, and open a transaction (which reads the
  // trade again, locked) only when this query is counted or time has something to settle.
  const seen = await deps.store.getTrade(merchant.partner, input);
  if (!seen) return { fields: failure('TRADE_NOT_EXIST') };
  if (!countsQueries(seen) && !needsSettling(seen, now, deps.policy)) {
    return { fields: queryFields(seen), alipayTransId: seen.alipayTransId };
  }
  return deps.store.transaction(async (tx) => {
    const found = await tx.getTradeForUpdate(merchant.partner, input);
    if (!found) return { fields: failure('TRADE_NOT_EXIST') };
    if (countsQueries(found)) {
      found.queryCount += 1;
      await tx.updateTrade(found.alipayTransId, { queryCount: found.queryCount });
    }
    const trade = await settleTrade(tx, found, now, deps.policy, deps.notifications);
    return { fields: queryFields(trade), alipayTransId: trade.alipayTransId };
  });
}

/** `alipay.acquire.overseas.query` (docs/reference/alipay-mapi-protocol.md §6). */
export const QUERY = defineService<QueryInput>({
  name: QUERY_SERVICE,
  parse,
  failure: (_params, error) => failure(error),
  run,
});
