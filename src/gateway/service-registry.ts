import type { ServiceName } from '../protocol/constants.js';
import type { ServiceDefinition } from '../services/service-definition.js';
import { SPOT_PAY } from '../services/spot-pay.js';
import { CANCEL } from '../services/cancel.js';
import { SPOT_REFUND } from '../services/spot-refund.js';
import { QUERY } from '../services/query.js';
import { PRECREATE } from '../services/precreate.js';
import { ACQUIRE_CREATE } from '../services/acquire-create.js';
import { QRCODE_CREATE } from '../services/qrcode-create.js';
import { QRCODE_MODIFY } from '../services/qrcode-modify.js';
import { QRCODE_MODIFY_STATUS } from '../services/qrcode-modify-status.js';

/** The in-store services by name: the gateway dispatches through this map only. */
export const SERVICE_REGISTRY: ReadonlyMap<string, ServiceDefinition> = new Map<
  ServiceName,
  ServiceDefinition
>([
  [SPOT_PAY.name, SPOT_PAY],
  [CANCEL.name, CANCEL],
  [SPOT_REFUND.name, SPOT_REFUND],
  [QUERY.name, QUERY],
  [PRECREATE.name, PRECREATE],
  [ACQUIRE_CREATE.name, ACQUIRE_CREATE],
  [QRCODE_CREATE.name, QRCODE_CREATE],
  [QRCODE_MODIFY.name, QRCODE_MODIFY],
  [QRCODE_MODIFY_STATUS.name, QRCODE_MODIFY_STATUS],
]);
