<?php
// A POS-side test suite against alipay-mock: pay, a custom rule, the sandbox clock, the request log,
// reset. Plain PHP so it runs with php-cli alone; each test_* function reads like a PHPUnit test
// (docs/integrations.md shows the same calls in a PHPUnit TestCase). Run: php checkout-test.php

require __DIR__ . '/sandbox.php';

const PAY = 'alipay.acquire.overseas.spot.pay';

function check(bool $ok, string $what): void
{
    if (!$ok) throw new RuntimeException("failed: $what");
}

function new_id(string $prefix): string
{
    return $prefix . hrtime(true);
}

function pay(array $m, string $amount, ?string $transId = null): array
{
    return call_gateway(PAY, [
        'alipay_seller_id' => $m['partner'],
        'partner_trans_id' => $transId ?? new_id('PHP'),
        'trans_name' => 'php checkout',
        'currency' => 'USD',
        'trans_amount' => $amount,
        'buyer_identity_code' => '280000000000000001',
        'identity_code_type' => 'barcode',
        'biz_product' => 'OVERSEAS_MBARCODE_PAY',
    ], $m['partner'], $m['key']);
}

function test_a_payment_succeeds(array $m): void
{
    [$answer] = pay($m, '10.00');
    check($answer['is_success'] === 'T' && $answer['result_code'] === 'SUCCESS', 'pay SUCCESS');
    check($answer['trans_amount'] === '10.00', 'trans_amount echoed');
}

// docs:begin php-rule
function test_a_custom_rule_declines_one_amount(array $m): void
{
    admin('POST', '/api/rules', [
        'partner' => $m['partner'],
        'service' => PAY,
        'name' => 'decline 12.34',
        'when' => [['field' => 'trans_amount', 'op' => 'eq', 'value' => '12.34']],
        'then' => ['type' => 'business', 'result_code' => 'FAILED', 'error' => 'BUYER_BALANCE_NOT_ENOUGH'],
    ]);
    [$answer] = pay($m, '12.34');
    check([$answer['result_code'], $answer['error']] === ['FAILED', 'BUYER_BALANCE_NOT_ENOUGH'], 'rule answered');
    check(pay($m, '12.35')[0]['result_code'] === 'SUCCESS', 'other amounts still pay');
}
// docs:end

function test_a_cancel_the_next_day_is_refused(array $m): void
{
    $transId = new_id('PHPC');
    check(pay($m, '5.00', $transId)[0]['result_code'] === 'SUCCESS', 'paid');
    // Only the Beijing day of payment allows a cancel: move this merchant's clock a day on.
    admin('POST', "/api/merchants/{$m['partner']}/clock", ['advanceSeconds' => 86400]);
    [$cancel] = call_gateway('alipay.acquire.cancel', [
        'out_trade_no' => $transId,
        'timestamp' => (string) (int) (microtime(true) * 1000),
    ], $m['partner'], $m['key']);
    check([$cancel['result_code'], $cancel['error']] === ['FAIL', 'TRADE_STATUS_ERROR'], 'cancel refused');
    admin('DELETE', "/api/merchants/{$m['partner']}/clock");
}

// docs:begin php-log
function test_the_request_log_has_what_the_pos_sent(array $m): void
{
    $transId = new_id('PHPL');
    [, $requestId] = pay($m, '7.00', $transId);
    $log = admin('GET', "/api/requests?partner={$m['partner']}&tradeId=$transId");
    check(array_column($log['items'], 'outcome') === ['SUCCESS'], 'one SUCCESS logged');
    $entry = $log['items'][0];
    check($entry['signature']['ok'] === true, 'signature verified');
    check(in_array(['name' => 'trans_amount', 'value' => '7.00', 'source' => 'body'], $entry['params']), 'amount sent');
    // The answer's X-Request-Id finds the same entry.
    check(admin('GET', "/api/requests?requestId=$requestId")['items'][0]['id'] === $entry['id'], 'found by id');
}
// docs:end

function test_reset_forgets_trades_rules_and_log(array $m): void
{
    $transId = new_id('PHPR');
    pay($m, '3.00', $transId);
    admin('POST', "/api/merchants/{$m['partner']}/reset");
    check(admin('GET', "/api/rules?partner={$m['partner']}")['items'] === [], 'no rules');
    check(admin('GET', "/api/requests/count?partner={$m['partner']}")['count'] === 0, 'empty log');
    [$query] = call_gateway('alipay.acquire.overseas.query', ['partner_trans_id' => $transId], $m['partner'], $m['key']);
    check([$query['result_code'], $query['error']] === ['FAIL', 'TRADE_NOT_EXIST'], 'trade forgotten');
}

// A merchant of its own for this run, so the run is alone with its rules, clock and log.
$partner = '2088' . str_pad((string) random_int(0, 999999999999), 12, '0', STR_PAD_LEFT);
$created = admin('POST', '/api/merchants', ['partner' => $partner, 'name' => 'PHP POS']);
$merchant = ['partner' => $partner, 'key' => $created['md5Key']];

$passed = 0;
$failed = 0;
foreach (get_defined_functions()['user'] as $name) {
    if (!str_starts_with($name, 'test_')) continue;
    try {
        $name($merchant);
        $passed++;
        echo "ok   $name\n";
    } catch (Throwable $e) {
        $failed++;
        echo "FAIL $name: {$e->getMessage()}\n";
    }
}
echo "$passed passed, $failed failed\n";
exit($failed === 0 && $passed > 0 ? 0 : 1);
