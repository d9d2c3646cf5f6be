-- wrk script of `make bench` (bench/api_bench.py): requests from a plan file, results as JSON.
--
-- Environment:
--   BENCH_WRK_PLAN    plan file: first line the access token, then one request per line,
--                     "METHOD PATH", "METHOD PATH JSON-BODY" or "METHOD PATH Name: value" (one
--                     request header, such as If-None-Match); each connection cycles through
--                     them in order
--   BENCH_WRK_REPORT  where done() writes the JSON report

local plan_path = os.getenv("BENCH_WRK_PLAN")
local report_path = os.getenv("BENCH_WRK_REPORT")

local plan = {}
local position = 0

local function load_plan()
  local file = assert(io.open(plan_path, "r"), "cannot open " .. tostring(plan_path))
  local token = file:read("*l")
  for line in file:lines() do
    local method, path, body = line:match("^(%u+) (%S+) ?(.*)$")
    if method then
      local headers = { ["Authorization"] = "Bearer " .. token }
      local name, value = body:match("^([%w-]+): (.+)$")
      if body == "" then
        body = nil
      elseif name then
        headers[name] = value
        body = nil
      else
        headers["Content-Type"] = "application/json"
      end
      plan[#plan + 1] = wrk.format(method, path, headers, body)
    end
  end
  file:close()
  assert(#plan > 0, "empty plan " .. plan_path)
end

function init(args)
  load_plan()
end

function request()
  position = position % #plan + 1
  return plan[position]
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local percentiles = {}
  for _, p in ipairs({ 50, 75, 90, 99, 99.9 }) do
    percentiles[#percentiles + 1] = string.format('"%s": %.3f', tostring(p), latency:percentile(p) / 1000)
  end
  local report = string.format(
    '{"requests": %d, "seconds": %.3f, "requests_per_second": %.2f, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_ms": {"mean": %.3f, "stdev": %.3f, "min": %.3f, "max": %.3f, %s}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean / 1000, latency.stdev / 1000, latency.min / 1000, latency.max / 1000,
    table.concat(percentiles, ", ")
  )
  local file = assert(io.open(report_path, "w"))
  file:write(report)
  file:close()
end
