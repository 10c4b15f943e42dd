-- POST <BENCH_PATH> (default /graphql) with a JSON body holding BENCH_QUERY and the
-- cookie of a token picked at random from BENCH_TOKENS.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local path = os.getenv("BENCH_PATH") or "/graphql"
local cookie = (os.getenv("BENCH_COOKIE") or "sid") .. "="
local query = os.getenv("BENCH_QUERY") or "{ me { ... on Viewer { userId } } }"
local body = '{"query":"' .. query:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"}'
local tokens, count

setup = common.setup
done = common.done

function init(args)
  tokens = common.read_lines(os.getenv("BENCH_TOKENS"))
  count = #tokens
  common.seed_random()
end

function request()
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Cookie"] = cookie .. tokens[math.random(count)],
  }, body)
end
