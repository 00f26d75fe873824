-- Copied from the shared harness (../shared/bench/portal_vs_anchor/stats.lua), unchanged below this line.
-- wrk script for both sites: status-code counts and exact p50/p90/p99, printed as
-- STAT lines (the same format as the anchor's stats.lua, so its summarize.py reads them).
-- WRK_BODY set -> the request is a form POST with that body.  If the body contains
-- the literal {uuid}, every request gets a fresh random UUID there (the portal's
-- filing form carries an idempotency key: a repeated key would return the first
-- appeal instead of filing a new one).
local body = os.getenv("WRK_BODY")
if body and #body > 0 then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  if body:find("{uuid}", 1, true) then
    local function uuid4()
      local t = {}
      for i = 1, 16 do t[i] = math.random(0, 255) end
      t[7] = t[7] % 16 + 64   -- version 4
      t[9] = t[9] % 64 + 128  -- variant 10
      local h = {}
      for i = 1, 16 do h[i] = string.format("%02x", t[i]) end
      local s = table.concat(h)
      return s:sub(1, 8) .. "-" .. s:sub(9, 12) .. "-" .. s:sub(13, 16) .. "-" .. s:sub(17, 20) .. "-" .. s:sub(21, 32)
    end
    -- defined only here: wrk sends a static request when the script has no request()
    function request()
      return wrk.format(nil, nil, nil, (body:gsub("{uuid}", uuid4())))
    end
  end
end

local threads = {}
local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("seed", os.time() * 100 + thread_no)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  math.randomseed(seed or os.time())
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local agg = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      agg[code] = (agg[code] or 0) + n
    end
  end
  for code, n in pairs(agg) do
    io.write(string.format("STAT status_%d %d\n", code, n))
  end
  io.write(string.format("STAT requests %d\n", summary.requests))
  io.write(string.format("STAT duration_us %d\n", summary.duration))
  io.write(string.format("STAT rps %.2f\n", summary.requests / summary.duration * 1e6))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("STAT p%d_ms %.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("STAT mean_ms %.1f\n", latency.mean / 1000))
  io.write(string.format("STAT max_ms %.1f\n", latency.max / 1000))
  local e = summary.errors
  io.write(string.format("STAT errors connect=%d read=%d write=%d status=%d timeout=%d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
end
