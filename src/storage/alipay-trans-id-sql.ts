import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * makeAlipayTransId (ledger/alipay-trans-id.ts) as a PostgreSQL expression, for the pay statement that
 * numbers a trade in the database: `prefix` is alipayTransIdPrefix of the trade's time, then digits
 * 12–15 of the user id padded to 16 with zeros (lpad alone would cut a longer id), then the sequence
 * modulo 10^10 in 10 digits. test/storage/alipay-trans-id-sql.test.ts holds the two equal.
 */
export function alipayTransIdSql(
  prefix: Expression<string>,
  buyerUserId: Expression<string>,
  sequence: Expression<number>,
): RawBuilder<string> {
  const paddedUserId = sql`lpad(${buyerUserId}, greatest(length(${buyerUserId}), 16), '0')`;
  return sql<string>`${prefix} || substr(${paddedUserId}, 12, 4) || lpad((${sequence} % 10000000000)::text, 10, '0')`;
}
