import { CANCEL_SERVICE } from '../protocol/constants.js';
import { z } from 'zod';
import { parseRequestTimestamp } from '../ledger/beijing-time.js';
import { decideCancel } from '../ledger/trade-lifecycle.js';
import type { Merchant } from '../ledger/model.js';
import { checkSchema } from './param-schema.js';
import {
  defineService,
  type ParamCheck,
  type ServiceDeps,
  type ServiceResult,
} from './service-definition.js';
import { settleTrade } from '../ledger/settle-trade.js';

const schema = z.object({
  out_trade_no: z.string().max(64),
  trade_no: z.string().min(16).max(64).optional(),
  timestamp: z.string().max(32),
  terminal_timestamp: z
    .string()
    .regex(/^\d{10,13}$/, 'must be epoch milliseconds')
    .optional(),
});

/** A cancel request after its checks. */
export interface CancelInput {
  outTradeNo: string;
  tradeNo: string | undefined;
}

function parse(params: Readonly<Record<string, string>>): ParamCheck<CancelInput> {
  const checked = checkSchema(schema, params);
  if (!checked.ok) return checked;
  // Both epoch milliseconds and `yyyy-MM-dd HH:mm:ss` are accepted; freshness is not checked (§15).
  if (!parseRequestTimestamp(checked.value.timestamp)) {
    return {
      ok: false,
      kind: 'gateway',
      reason: 'timestamp must be epoch milliseconds or yyyy-MM-dd HH:mm:ss',
    };
  }
  return { ok: true, value: { outTradeNo: checked.value.out_trade_no, tradeNo: checked.value.trade_no } };
}

function failure(
  params: Readonly<Record<string, string>>,
  error: string,
  retry = false,
): ServiceResult['fields'] {
  return { error, out_trade_no: params.out_trade_no, result_code: 'FAIL', retry_flag: retry ? 'Y' : 'N' };
}

/** Closes an unpaid trade or refunds a paid one in full on its Beijing pay day (§4.3). */
async function run(
  deps: ServiceDeps,
  merchant: Merchant,
  input: CancelInput,
  now: Date,
): Promise<ServiceResult> {
  return deps.store.transaction(async (tx) => {
    const found = await tx.getTradeForUpdate(merchant.partner, {
      partnerTransId: input.outTradeNo,
      alipayTransId: input.tradeNo,
    });
    if (!found) return { fields: failure({ out_trade_no: input.outTradeNo }, 'TRADE_NOT_EXIST') };
    const trade = await settleTrade(tx, found, now, deps.policy, deps.notifications);
    const decision = decideCancel(trade, now);
    const base = { alipayTransId: trade.alipayTransId };
    if (decision.kind === 'error')
      return { ...base, fields: failure({ out_trade_no: input.outTradeNo }, decision.error) };
    let action: 'close' | 'refund';
    if (decision.kind === 'replay') {
      action = decision.action;
    } else {
      action = decision.kind;
      if (action === 'refund') {
        await tx.adjustBalance(
          trade.buyerUserId,
          trade.transCurrency,
          trade.amountMinor - trade.refundedMinor,
        );
      }
      const patch = {
        status: 'TRADE_CLOSED',
        closedAt: now,
        closeReason: 'cancel',
        cancelAction: action,
      } as const;
      await tx.updateTrade(trade.alipayTransId, patch);
      await deps.notifications?.tradeChanged(tx, trade, { ...trade, ...patch });
    }
    return {
      ...base,
      fields: {
        action,
        out_trade_no: input.outTradeNo,
        result_code: 'SUCCESS',
        retry_flag: 'N',
        trade_no: trade.alipayTransId,
      },
    };
  });
}

/** `alipay.acquire.cancel` (docs/reference/alipay-mapi-protocol.md §4). */
export const CANCEL = defineService<CancelInput>({
  name: CANCEL_SERVICE,
  parse,
  failure: (params, error) => failure(params, error, error === 'SYSTEM_ERROR'),
  run,
});
