import { createMapiClient } from '../src/client/mapi-client.js';
import { DEMO_MERCHANT } from '../src/demo-accounts.js';
import type { BenchRequest } from './drive-load.js';
import { signedRequest } from './signed-request.js';

/** Data every scenario may use, created in the sandbox before anything is timed. */
export interface BenchFixtures {
  /** A paid trade of the demo merchant. */
  partnerTransId: string;
  /** The pre-signed query of that trade. */
  queryRequest: BenchRequest;
  /** The sandbox's exact answer bytes to that query: the baseline server sends the same bytes. */
  queryAnswer: Buffer;
}

/** Pays one trade with the package's own client, then records the raw answer to its query. */
export async function createFixtures(sandboxUrl: string): Promise<BenchFixtures> {
  const gateway = `${sandboxUrl}/gateway.do`;
  const client = createMapiClient({ gateway, partner: DEMO_MERCHANT.partner, key: DEMO_MERCHANT.md5Key });
  const partnerTransId = `BENCHQ${Date.now()}`;
  try {
    const paid = await client.spotPay({
      partnerTransId,
      transName: 'bench',
      currency: 'USD',
      transAmount: '10.00',
      buyerIdentityCode: '280000000000000001',
    });
    if (paid.resultCode !== 'SUCCESS') throw new Error(`fixture pay answered ${paid.resultCode}`);
  } finally {
    client.close();
  }
  const queryRequest = signedRequest(
    'alipay.acquire.overseas.query',
    { partner_trans_id: partnerTransId },
    'GET',
  );
  const res = await fetch(`${sandboxUrl}${queryRequest.path}`);
  const queryAnswer = Buffer.from(await res.arrayBuffer());
  if (!queryAnswer.includes('TRADE_SUCCESS')) throw new Error('fixture query did not find the trade');
  return { partnerTransId, queryRequest, queryAnswer };
}
