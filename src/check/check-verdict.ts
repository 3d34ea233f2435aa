/** What a check run concludes about one scenario. */
export const CHECK_STATUSES = ['passed', 'failed', 'not_exercised'] as const;

/** One of CHECK_STATUSES. */
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** A scenario's judgement before evidence is attached: its status and why. */
export interface Judgement {
  status: CheckStatus;
  /** Plain sentences: what went wrong (failed), what was seen (passed), or what would exercise it. */
  findings: string[];
  /** Request log ids that the findings are about (the rest of the evidence is context). */
  entryIds: number[];
}

/** One request of the evidence, in the order the sandbox received it. */
export interface EvidenceItem {
  requestId: number;
  /** When the sandbox process received it (its wall clock, as the request log's receivedAt). */
  receivedAt: string;
  /** The merchant's sandbox time of the request, which time limits are judged by; null when unknown. */
  sandboxAt: string | null;
  service: string | null;
  partnerTransId: string | null;
  partnerRefundId: string | null;
  outcome: string;
  signatureOk: boolean | null;
  /** The entry in the admin API's request log. */
  apiLink: string;
  /** The entry on the console's request log page. */
  consoleLink: string;
}

/** The verdict on one scenario of a check run, with its evidence. */
export interface CheckVerdict {
  scenario: string;
  title: string;
  status: CheckStatus;
  findings: string[];
  /** What the POS should have done (the expectation, in words). */
  expected: string;
  cites: string[];
  /** Set when the expectation is this sandbox's reading rather than Alipay's words. */
  sandboxReading: string | null;
  /** Requests the findings point at. */
  flaggedRequestIds: number[];
  evidence: EvidenceItem[];
}
