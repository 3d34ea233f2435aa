"""A POS's own MAPI code, reduced to what its tests need: MD5 signing, the gateway call, and the
sandbox's admin API (rules, clock, request log, reset). Nothing here comes from alipay-mock."""

import hashlib
import os
import xml.etree.ElementTree as ET

import requests

# docs:begin python-config
# Where the sandbox is: `alipay-mock serve --host 0.0.0.0` on a test machine, or 127.0.0.1 locally.
SANDBOX = os.environ.get("ALIPAY_MOCK_URL", "http://127.0.0.1:8080")
GATEWAY = SANDBOX + "/gateway.do"  # instead of https://mapi.alipaydev.com/gateway.do
ADMIN_TOKEN = os.environ.get("ALIPAY_MOCK_ADMIN_TOKEN")  # the sandbox's --admin-token, if it has one
# docs:end


# docs:begin python-sign
def md5_sign(params, key):
    """MAPI's MD5 signature: sorted k=v pairs without sign and sign_type, joined with &, key appended."""
    text = "&".join(f"{k}={params[k]}" for k in sorted(params) if k not in ("sign", "sign_type") and params[k] != "")
    return hashlib.md5((text + key).encode("utf-8")).hexdigest()


def call_gateway(service, params, partner, key):
    """Signs and POSTs one request; returns (the answer's fields, its X-Request-Id)."""
    signed = {"service": service, "partner": partner, "_input_charset": "utf-8", **params}
    signed["sign"] = md5_sign(signed, key)
    signed["sign_type"] = "MD5"
    res = requests.post(GATEWAY, data=signed, timeout=15)
    # The answer is GBK XML: decode it first (Python's XML parser does not read GBK itself).
    text = res.content.decode("gbk")
    root = ET.fromstring(text[text.index("?>") + 2 :] if text.startswith("<?xml") else text)
    fields = {"is_success": root.findtext("is_success"), "error": root.findtext("error")}
    business = root.find("response/alipay")  # absent when is_success is F
    for child in business if business is not None else []:
        fields[child.tag] = child.text or ""
    return fields, res.headers.get("X-Request-Id")
# docs:end


# docs:begin python-admin
def admin(method, path, body=None):
    """One admin API call; answers the parsed JSON (None for 204), raises on an error status."""
    headers = {"Authorization": f"Bearer {ADMIN_TOKEN}"} if ADMIN_TOKEN else {}
    res = requests.request(method, SANDBOX + path, json=body, headers=headers, timeout=15)
    if res.status_code >= 400:
        raise AssertionError(f"{method} {path}: {res.status_code} {res.text}")
    return None if res.status_code == 204 else res.json()
# docs:end
