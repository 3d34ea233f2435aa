/**
 * The wrk script of every scenario. Arguments (after `--`): a file of request paths, one a line, and the
 * text every answer must contain. Each thread sends its share of the lines in turn (thread k of n the
 * lines k, k+n, …), each request pre-formatted once; an answer that is not HTTP 200 with that text is
 * counted as bad. WRK_THREADS is wrk's -t. With WRK_SECOND_PORT set, every second thread connects to that port of the same host
 * instead (two instances). `done` prints one line `BENCH_JSON {…}`: requests, duration, latency
 * percentiles (µs: p50, p99, and every hundredth of a per cent from 95 to 100), bad answers, requests past the end of the list ("wrapped": a pay list too short),
 * and the CPU time wrk itself used while sending.
 */
export const WRK_SCRIPT = String.raw`
local threads = {}
local secondPort = os.getenv("WRK_SECOND_PORT")

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads - 1)
  if secondPort ~= nil and secondPort ~= "" and #threads % 2 == 0 then
    thread.addr = wrk.lookup(wrk.host, secondPort)[1]
  end
end

-- Globals, not locals: done() reads them with thread:get.
requests, expect, sent, bad, wrapped, startCpu = {}, nil, 0, 0, 0, 0
local threadCount = tonumber(os.getenv("WRK_THREADS") or "1")

function init(args)
  local all = {}
  for line in io.lines(args[1]) do all[#all + 1] = line end
  for i = 1 + index, #all, threadCount do requests[#requests + 1] = wrk.format(nil, all[i]) end
  expect = args[2]
  startCpu = os.clock()
end

function request()
  sent = sent + 1
  if sent > #requests then wrapped = wrapped + 1 end
  return requests[((sent - 1) % #requests) + 1]
end

function response(status, headers, body)
  if status ~= 200 or not string.find(body, expect, 1, true) then bad = bad + 1 end
end

function done(summary, latency)
  local badAll, wrappedAll, start = 0, 0, 0
  for _, t in ipairs(threads) do
    badAll = badAll + t:get("bad")
    wrappedAll = wrappedAll + t:get("wrapped")
    start = math.max(start, t:get("startCpu"))
  end
  local e = summary.errors
  -- The latency at 95.00, 95.01, …, 100 %: runs' tails can be merged into the p99 of all of them.
  local tail = {}
  for i = 0, 500 do tail[#tail + 1] = string.format("%d", latency:percentile(95 + i / 100)) end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"bad":%d,"wrapped":%d,' ..
    '"socketErrors":%d,"wrkCpuSeconds":%.3f,"tailUs":[%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), badAll, wrappedAll,
    e.connect + e.read + e.write + e.timeout, os.clock() - start, table.concat(tail, ",")))
end
`;
