<?php
// A POS's own MAPI code, reduced to what its tests need: MD5 signing, the gateway call, and the
// sandbox's admin API (rules, clock, request log, reset). Nothing here comes from alipay-mock.

// docs:begin php-config
// Where the sandbox is: `alipay-mock serve --host 0.0.0.0` on a test machine, or 127.0.0.1 locally.
$SANDBOX = getenv('ALIPAY_MOCK_URL') ?: 'http://127.0.0.1:8080';
$GATEWAY = $SANDBOX . '/gateway.do'; // instead of https://mapi.alipaydev.com/gateway.do
$ADMIN_TOKEN = getenv('ALIPAY_MOCK_ADMIN_TOKEN') ?: null; // the sandbox's --admin-token, if it has one
// docs:end

// docs:begin php-sign
/** MAPI's MD5 signature: sorted k=v pairs without sign and sign_type, joined with &, key appended. */
function md5_sign(array $params, string $key): string
{
    ksort($params);
    $pairs = [];
    foreach ($params as $k => $v) {
        if ($k !== 'sign' && $k !== 'sign_type' && $v !== '') $pairs[] = "$k=$v";
    }
    return md5(implode('&', $pairs) . $key);
}

/** Signs and POSTs one request; returns [the answer's fields, its X-Request-Id]. */
function call_gateway(string $service, array $params, string $partner, string $key): array
{
    global $GATEWAY;
    $signed = ['service' => $service, 'partner' => $partner, '_input_charset' => 'utf-8'] + $params;
    $signed['sign'] = md5_sign($signed, $key);
    $signed['sign_type'] = 'MD5';
    $requestId = null;
    $ch = curl_init($GATEWAY);
    curl_setopt_array($ch, [
        CURLOPT_POST => true,
        CURLOPT_POSTFIELDS => http_build_query($signed),
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 15,
        CURLOPT_HEADERFUNCTION => function ($ch, $line) use (&$requestId) {
            if (stripos($line, 'X-Request-Id:') === 0) $requestId = trim(substr($line, 13));
            return strlen($line);
        },
    ]);
    $body = curl_exec($ch);
    if ($body === false) throw new RuntimeException('no answer: ' . curl_error($ch));
    // The answer is GBK XML; simplexml honours the encoding declaration.
    $xml = simplexml_load_string($body);
    $fields = ['is_success' => (string) $xml->is_success, 'error' => (string) $xml->error];
    if (isset($xml->response->alipay)) {
        foreach ($xml->response->alipay->children() as $name => $value) $fields[$name] = (string) $value;
    }
    return [$fields, $requestId];
}
// docs:end

// docs:begin php-admin
/** One admin API call; answers the decoded JSON (null for 204), throws on an error status. */
function admin(string $method, string $path, ?array $body = null): ?array
{
    global $SANDBOX, $ADMIN_TOKEN;
    // A JSON content type only with a body: the API refuses an empty body declared as JSON.
    $headers = $body === null ? [] : ['Content-Type: application/json'];
    if ($ADMIN_TOKEN !== null) $headers[] = "Authorization: Bearer $ADMIN_TOKEN";
    $ch = curl_init($SANDBOX . $path);
    curl_setopt_array($ch, [
        CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_HTTPHEADER => $headers,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 15,
    ]);
    if ($body !== null) curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($body));
    $text = curl_exec($ch);
    $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    if ($text === false || $status >= 400) throw new RuntimeException("$method $path: $status $text");
    return $status === 204 ? null : json_decode($text, true);
}
// docs:end
