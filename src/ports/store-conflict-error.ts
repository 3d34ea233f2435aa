/** Thrown when a create would violate a unique key (e.g. a merchant with an existing partner id). */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
}
