-- GET <BENCH_PATH> (default /me) with the session cookie of a token picked at random
-- from BENCH_TOKENS (one token a line; the runner lists tokens spread over the whole
-- sessions table). BENCH_COOKIE names the cookie (userql: sid).
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local path = os.getenv("BENCH_PATH") or "/me"
local cookie = (os.getenv("BENCH_COOKIE") or "sid") .. "="
local tokens, count

setup = common.setup
done = common.done

function init(args)
  tokens = common.read_lines(os.getenv("BENCH_TOKENS"))
  count = #tokens
  common.seed_random()
end

function request()
  return wrk.format("GET", path, {["Cookie"] = cookie .. tokens[math.random(count)]})
end
