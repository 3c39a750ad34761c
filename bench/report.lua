-- wrk script: send the headers given in WRK_HEADERS (k: v|k: v) and print the figures as one JSON line.
local raw = os.getenv("WRK_HEADERS") or ""
for pair in string.gmatch(raw, "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

local statuses = {}

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local bad_status = summary.errors.status
  local parts = {}
  for code, count in pairs(statuses) do table.insert(parts, string.format('"%d": %d', code, count)) end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
      .. '"socket_errors": %d, "non_2xx_3xx": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, bad_status, table.concat(parts, ", ")))
end
