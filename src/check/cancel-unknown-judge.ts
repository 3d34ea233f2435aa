import { CANCEL_SERVICE, PAY_SERVICE } from '../protocol/constants.js';
import type { Judgement } from './check-verdict.js';
import type { ScenarioInput } from './check-scenario.js';
import { combine, tradeThreads, type TradeFinding } from './trade-threads.js';

const NOT_EXIST = 'FAIL:TRADE_NOT_EXIST';

/** A cancel answered TRADE_NOT_EXIST is final: the POS neither cancels that id again nor pays under it. */
export function judgeCancelUnknown(input: ScenarioInput): Judgement {
  const findings: TradeFinding[] = [];
  for (const [id, thread] of tradeThreads(input.entries)) {
    const answered = thread.find((e) => e.service === CANCEL_SERVICE && e.outcome === NOT_EXIST);
    if (answered === undefined) continue;
    const later = thread.filter((e) => e.id > answered.id);
    // Any later cancel or pay of the id: the answer was not taken as final (no retry_flag=Y came with it).
    const again = later.filter((e) => e.service === CANCEL_SERVICE || e.service === PAY_SERVICE);
    const cancels = again.filter((e) => e.service === CANCEL_SERVICE).length;
    const pays = again.length - cancels;
    findings.push(
      again.length === 0
        ? {
            ok: true,
            text: `${id}: cancel answered TRADE_NOT_EXIST and taken as final`,
            entryIds: [answered.id],
          }
        : {
            ok: false,
            text: `${id}: after a cancel answered TRADE_NOT_EXIST the POS sent ${cancels} more cancel(s) and ${pays} pay(s) of the same id`,
            entryIds: [answered.id, ...again.map((e) => e.id)],
          },
    );
  }
  return combine(findings, 'no cancel under this prefix was answered TRADE_NOT_EXIST');
}
