import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';

/**
 * PostgreSQL only: `pay_new_trades(pays, sequence_name)`, LedgerStore.payNewTrade for several new
 * trades in one call, so that the pays a PostgreSQL instance receives together commit together, in
 * one round trip and one transaction (pay-new-trades-call.ts). A function, not one statement: each
 * pay must see the balance the pays before it left, and PL/pgSQL plans its statements once per
 * connection, where a batch sent as text would be planned afresh each time.
 *
 * `pays` is a JSON array of the trades' columns (but the id and the payer's columns) and each one's
 * `id_prefix`; the result has a row per pay, `ord` its index in the array: `outcome` 'paid' or
 * 'exists' with `trade` (the row as JSON), 'no-buyer', 'insufficient', or 'lost-race'.
 *
 * Locks, always in one order: first the balance rows of every pay's payer and currency, sorted, then
 * the id sequence's row, then each trade's key. A pay alone takes its balance, then the sequence;
 * so does every other transaction that takes both (the wallet's pay, a resolution's debit before
 * its notification). No two of them can wait for each other in a circle. The balances and the
 * sequence are read once, kept in variables while the pays run, and written once at the end.
 *
 * The trade's INSERT does nothing on a key that a concurrent pay committed first (it waits for that
 * pay's commit); that pay's trade is then the answer and this one takes no money, so no pay of a
 * batch fails another. Its number stays drawn: trade numbers may skip a value (docs/protocol.md).
 * `set search_path from current` ties the function to the tables of the schema it was made in.
 */
export function payNewTradesFunctionMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind !== 'postgres') return;
      await sql`
        create function pay_new_trades(pays jsonb, sequence_name text)
        returns table (ord integer, outcome text, trade jsonb)
        language plpgsql
        set search_path from current
        as $body$
        declare
          n integer := jsonb_array_length(pays);
          payers buyers[] := '{}';
          payer buyers;
          t trades;
          known trades;
          -- Planned at each run (EXECUTE, which leaves FOUND alone), not once a connection: a plan cached while the table
          -- was small may search the index on (partner, created_at) and read every trade of the
          -- merchant, which made a pay cost milliseconds once the ledger grew.
          trade_by_key constant text := 'select * from trades where partner = $1 and partner_trans_id = $2';
          -- The balances the batch touches, locked, as they stand after each pay: the rows are
          -- written once at the end, not once a pay (each write of a row leaves a version of it
          -- that every later read in the transaction steps over).
          balance record;
          users text[] := '{}';
          currencies text[] := '{}';
          amounts bigint[] := '{}';
          changed boolean[] := '{}';
          b integer;
          drawn bigint;
          first_number bigint;
        begin
          -- Each pay's payer, once: the holder of its code, else the default buyer.
          for i in 1..n loop
            payer := null;
            select p.* into payer from buyers p where p.user_id = coalesce(
              (select c.user_id from buyers c where c.payment_code = pays->(i - 1)->>'buyer_identity_code'),
              (select d.user_id from buyers d where d.is_default = 1 order by d.user_id limit 1));
            payers[i] := payer;
          end loop;
          for balance in
            select bb.user_id, bb.currency, bb.amount_minor from buyer_balances bb
              where (bb.user_id, bb.currency) in (
                select (payers[g]).user_id, pays->(g - 1)->>'trans_currency' from generate_series(1, n) g)
              order by bb.user_id, bb.currency
              for update
          loop
            users := users || balance.user_id;
            currencies := currencies || balance.currency;
            amounts := amounts || balance.amount_minor;
            changed := changed || false;
          end loop;
          insert into sequences (name, value) values (sequence_name, 0) on conflict (name) do nothing;
          select s.value into first_number from sequences s where s.name = sequence_name for update;
          drawn := 0;
          for i in 1..n loop
            ord := i - 1;
            trade := null;
            payer := payers[i];
            if payer.user_id is null then
              outcome := 'no-buyer';
              return next;
              continue;
            end if;
            t := jsonb_populate_record(null::trades, pays->(i - 1));
            execute trade_by_key into known using t.partner, t.partner_trans_id;
            if known.alipay_trans_id is not null then
              outcome := 'exists';
              trade := to_jsonb(known);
              return next;
              continue;
            end if;
            b := null;
            for j in 1..coalesce(array_length(users, 1), 0) loop
              if users[j] = payer.user_id and currencies[j] = t.trans_currency then
                b := j;
                exit;
              end if;
            end loop;
            if b is null or amounts[b] < t.amount_minor then
              outcome := 'insufficient';
              -- A concurrent pay of this key, of another balance, may have committed since the
              -- look above: then the answer is its trade, as it would be had this pay come later.
              execute trade_by_key into known using t.partner, t.partner_trans_id;
              if known.alipay_trans_id is not null then
                outcome := 'exists';
                trade := to_jsonb(known);
              end if;
              return next;
              continue;
            end if;
            drawn := drawn + 1;
            -- makeAlipayTransId (ledger/alipay-trans-id.ts) of the next number.
            t.alipay_trans_id := (pays->(i - 1)->>'id_prefix')
              || substr(lpad(payer.user_id, greatest(length(payer.user_id), 16), '0'), 12, 4)
              || lpad(((first_number + drawn) % 10000000000)::text, 10, '0');
            t.buyer_user_id := payer.user_id;
            t.buyer_login_id := payer.login_id;
            t.payment_inst := payer.wallet;
            insert into trades select (t).*
              on conflict on constraint trades_partner_trans_id_uq do nothing;
            if found then
              amounts[b] := amounts[b] - t.amount_minor;
              changed[b] := true;
              outcome := 'paid';
              trade := to_jsonb(t);
              return next;
              continue;
            end if;
            -- A concurrent pay of this key committed first (the insert waited for it): its trade
            -- is the answer, and this pay takes no money.
            execute trade_by_key into known using t.partner, t.partner_trans_id;
            if known.alipay_trans_id is not null then
              outcome := 'exists';
              trade := to_jsonb(known);
            else
              outcome := 'lost-race';
            end if;
            return next;
          end loop;
          if drawn > 0 then
            update sequences s set value = first_number + drawn where s.name = sequence_name;
          end if;
          for j in 1..coalesce(array_length(users, 1), 0) loop
            if changed[j] then
              update buyer_balances bb set amount_minor = amounts[j]
                where bb.user_id = users[j] and bb.currency = currencies[j];
            end if;
          end loop;
        end
        $body$`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (kind !== 'postgres') return;
      await sql`drop function if exists pay_new_trades(jsonb, text)`.execute(db);
    },
  };
}
