-- wrk script: send the headers given in WRK_HEADERS (k: v|k: v) and print the figures as one JSON line.
-- With WRK_PATHS (p|p|...) each connection asks for those paths in turn; with WRK_MISS_EVERY=n every n-th
-- request of a thread carries a bench-miss parameter no cache has seen (so it reaches the origin).
local raw = os.getenv("WRK_HEADERS") or ""
for pair in string.gmatch(raw, "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "[^|]+") do table.insert(paths, path) end
local miss_every = tonumber(os.getenv("WRK_MISS_EVERY") or "0") or 0
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local sent = 0
if #paths > 0 or miss_every > 0 then
  request = function()
    sent = sent + 1
    local path = #paths > 0 and paths[(sent - 1) % #paths + 1] or wrk.path
    if miss_every > 0 and sent % miss_every == 0 then
      local separator = string.find(path, "?", 1, true) and "&" or "?"
      path = string.format("%s%sbench-miss=%d-%d-%d", path, separator, os.time(), thread_number or 0, sent)
    end
    return wrk.format(nil, path)
  end
end

statuses = {}

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local bad_status = summary.errors.status
  -- Each thread counted its own answers in its own Lua state; done() runs in the main one.
  local totals = {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("statuses") or {}) do totals[code] = (totals[code] or 0) + count end
  end
  local parts = {}
  for code, count in pairs(totals) do table.insert(parts, string.format('"%d": %d', code, count)) end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
      .. '"socket_errors": %d, "non_2xx_3xx": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, bad_status, table.concat(parts, ", ")))
end
