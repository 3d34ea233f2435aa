/** What the HTTP edge must do to the connection instead of (or while) answering normally. */
export type TransportFault =
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'empty' }
  | { kind: 'garbage' }
  /** Send the headers with the full length, then only half of the body, then close. */
  | { kind: 'truncate' };
