"""A POS-side test suite against alipay-mock: pay, a custom rule, the sandbox clock, the request log, reset."""

import time

from sandbox import admin, call_gateway

PAY = "alipay.acquire.overseas.spot.pay"


def new_id(prefix):
    return f"{prefix}{time.time_ns()}"


def pay(merchant, amount, trans_id=None):
    params = {
        "alipay_seller_id": merchant["partner"],
        "partner_trans_id": trans_id or new_id("PY"),
        "trans_name": "pytest checkout",
        "currency": "USD",
        "trans_amount": amount,
        "buyer_identity_code": "280000000000000001",
        "identity_code_type": "barcode",
        "biz_product": "OVERSEAS_MBARCODE_PAY",
    }
    return call_gateway(PAY, params, merchant["partner"], merchant["key"])


def test_a_payment_succeeds(merchant):
    answer, _ = pay(merchant, "10.00")
    assert answer["is_success"] == "T"
    assert answer["result_code"] == "SUCCESS"
    assert answer["trans_amount"] == "10.00"


# docs:begin python-rule
def test_a_custom_rule_declines_one_amount(merchant):
    admin("POST", "/api/rules", {
        "partner": merchant["partner"],
        "service": PAY,
        "name": "decline 12.34",
        "when": [{"field": "trans_amount", "op": "eq", "value": "12.34"}],
        "then": {"type": "business", "result_code": "FAILED", "error": "BUYER_BALANCE_NOT_ENOUGH"},
    })
    answer, _ = pay(merchant, "12.34")
    assert (answer["result_code"], answer["error"]) == ("FAILED", "BUYER_BALANCE_NOT_ENOUGH")
    assert pay(merchant, "12.35")[0]["result_code"] == "SUCCESS"
# docs:end


# docs:begin python-clock
def test_a_cancel_the_next_day_is_refused(merchant):
    trans_id = new_id("PYC")
    assert pay(merchant, "5.00", trans_id)[0]["result_code"] == "SUCCESS"
    # Only the Beijing day of payment allows a cancel: move this merchant's clock a day on.
    admin("POST", f"/api/merchants/{merchant['partner']}/clock", {"advanceSeconds": 86400})
    cancel, _ = call_gateway("alipay.acquire.cancel", {"out_trade_no": trans_id, "timestamp": str(int(time.time() * 1000))},
                             merchant["partner"], merchant["key"])
    assert (cancel["result_code"], cancel["error"]) == ("FAIL", "TRADE_STATUS_ERROR")
    admin("DELETE", f"/api/merchants/{merchant['partner']}/clock")
# docs:end


# docs:begin python-log
def test_the_request_log_has_what_the_pos_sent(merchant):
    trans_id = new_id("PYL")
    _, request_id = pay(merchant, "7.00", trans_id)
    log = admin("GET", f"/api/requests?partner={merchant['partner']}&tradeId={trans_id}")
    assert [e["outcome"] for e in log["items"]] == ["SUCCESS"]
    entry = log["items"][0]
    assert entry["signature"]["ok"] is True
    assert {"name": "trans_amount", "value": "7.00", "source": "body"} in entry["params"]
    # The answer's X-Request-Id finds the same entry.
    assert admin("GET", f"/api/requests?requestId={request_id}")["items"][0]["id"] == entry["id"]
# docs:end


# docs:begin python-reset
def test_reset_forgets_trades_rules_and_log(merchant):
    trans_id = new_id("PYR")
    pay(merchant, "3.00", trans_id)
    admin("POST", f"/api/merchants/{merchant['partner']}/reset")
    assert admin("GET", f"/api/rules?partner={merchant['partner']}")["items"] == []
    assert admin("GET", f"/api/requests/count?partner={merchant['partner']}")["count"] == 0
    query, _ = call_gateway("alipay.acquire.overseas.query", {"partner_trans_id": trans_id},
                            merchant["partner"], merchant["key"])
    assert (query["result_code"], query["error"]) == ("FAIL", "TRADE_NOT_EXIST")
# docs:end
