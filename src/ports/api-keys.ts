/** A per-merchant admin API key; only the SHA-256 hash of its secret is kept. */
export interface ApiKey {
  id: string;
  partner: string;
  name: string;
  /** Lower-case hex SHA-256 of the secret. */
  keyHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Fields a caller supplies to create an API key; createdAt is set by the store, lastUsedAt starts null. */
export type NewApiKey = Omit<ApiKey, 'createdAt' | 'lastUsedAt'>;

/** Per-merchant admin API keys, kept as hashes. */
export interface ApiKeys {
  /** @throws StoreConflictError when the id or the hash exists */
  createApiKey(key: NewApiKey): Promise<ApiKey>;
  /** One merchant's API keys, oldest first. */
  listApiKeys(partner: string): Promise<ApiKey[]>;
  /** Deletes one key of this merchant; false when it has no key with this id. */
  deleteApiKey(partner: string, id: string): Promise<boolean>;
  /** The key whose secret hashes to keyHash; with `markUsed` its lastUsedAt becomes now. */
  findApiKeyByHash(keyHash: string, opts?: { markUsed?: boolean }): Promise<ApiKey | undefined>;
}
