-- wrk script: optional request body cycling, and a JSON summary wrk's own output lacks
-- (p95 in particular). Environment: BENCH_METHOD, BENCH_BODIES (a file of bodies, one a line),
-- BENCH_HEADERS ("Name: value" lines separated by "\n").

local method = os.getenv("BENCH_METHOD") or "GET"
local bodies = {}
local bodies_file = os.getenv("BENCH_BODIES")
if bodies_file and bodies_file ~= "" then
  for line in io.lines(bodies_file) do
    bodies[#bodies + 1] = line
  end
end

local headers = {}
local header_text = os.getenv("BENCH_HEADERS") or ""
for line in string.gmatch(header_text, "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- Each thread walks its own stride of the bodies so no body is sent twice.
  counter = id
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
end

function request()
  local body = nil
  if #bodies > 0 then
    local index = (counter % #bodies) + 1
    counter = counter + nthreads
    body = bodies[index]
  end
  return wrk.format(method, nil, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local out = string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean)
  io.stderr:write("WRK_JSON " .. out .. "\n")
end
