-- Shared by the wrk scripts: reading lists and reporting one JSON line.
-- wrk loads a script once per thread and once more for setup()/done(), so each state
-- dofile()s this file itself.
local common = {}

function common.read_lines(path)
  local lines = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    if #line > 0 then lines[#lines + 1] = line end
  end
  file:close()
  assert(#lines > 0, "empty list: " .. path)
  return lines
end

-- Called from setup(): hands every thread its own number (used to seed math.random).
local threads = 0
function common.setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function common.seed_random()
  local id = thread_id or 0
  math.randomseed(os.time() * 7919 + id * 104729 + math.floor(os.clock() * 1e6))
  -- LuaJIT's first values after seeding are correlated with the seed: discard a few
  for _ = 1, 10 do math.random() end
end

-- One line the runner parses: "BENCH_JSON {...}". Latencies in microseconds.
function common.done(summary, latency, requests)
  local e = summary.errors
  local parts = {
    string.format('"requests":%d', summary.requests),
    string.format('"duration_us":%d', summary.duration),
    string.format('"bytes":%d', summary.bytes),
    string.format('"errors_connect":%d', e.connect),
    string.format('"errors_read":%d', e.read),
    string.format('"errors_write":%d', e.write),
    string.format('"errors_status":%d', e.status),
    string.format('"errors_timeout":%d', e.timeout),
    string.format('"latency_mean_us":%.1f', latency.mean),
    string.format('"latency_max_us":%d', latency.max),
  }
  for _, p in ipairs({50, 75, 90, 99, 99.9}) do
    parts[#parts + 1] = string.format('"p%s_us":%d', tostring(p):gsub("%.", "_"), latency:percentile(p))
  end
  io.write("BENCH_JSON {" .. table.concat(parts, ",") .. "}\n")
end

return common
