-- wrk script: optional per-request path, cookie and body, and a JSON summary wrk's own output
-- lacks (p95 in particular). Environment: BENCH_METHOD, BENCH_HEADERS ("Name: value" lines
-- separated by "\n"), BENCH_THREADS, BENCH_BODIES: a file of requests, one a line, each
-- "path<TAB>cookie<TAB>body" (an empty path or cookie keeps the URL's path and the headers').

local method = os.getenv("BENCH_METHOD") or "GET"
local items = {}
local bodies_file = os.getenv("BENCH_BODIES")
if bodies_file and bodies_file ~= "" then
  for line in io.lines(bodies_file) do
    local path, cookie, body = string.match(line, "^([^\t]*)\t([^\t]*)\t(.*)$")
    if path == nil then path, cookie, body = "", "", line end
    items[#items + 1] = {path = path, cookie = cookie, body = body}
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
  -- Each thread walks its own stride of the requests so no body is sent twice.
  counter = id
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
end

function request()
  if #items == 0 then
    return wrk.format(method, nil, headers, nil)
  end
  local item = items[(counter % #items) + 1]
  counter = counter + nthreads
  local these = headers
  if item.cookie ~= "" then
    these = {}
    for name, value in pairs(headers) do these[name] = value end
    these["Cookie"] = item.cookie
  end
  local path = nil
  if item.path ~= "" then path = item.path end
  return wrk.format(method, path, these, item.body)
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
