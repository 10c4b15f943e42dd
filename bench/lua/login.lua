-- Logins, each with the next user of BENCH_USERS (one email a line, all with the password
-- BENCH_PASSWORD), starting at a random place: consecutive attempts are distinct users,
-- so no per-(email, IP) counter ever sees two attempts in a row.
-- BENCH_LOGIN_FORMAT: "json" (userql: {"email","password"}) or "form" (fastapi-users:
-- OAuth2 form fields username/password).
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local path = os.getenv("BENCH_PATH") or "/auth/login"
local password = os.getenv("BENCH_PASSWORD")
local form = (os.getenv("BENCH_LOGIN_FORMAT") or "json") == "form"
local users, count, next_user

setup = common.setup
done = common.done

local function urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  users = common.read_lines(os.getenv("BENCH_USERS"))
  count = #users
  common.seed_random()
  next_user = math.random(count)
end

function request()
  local email = users[next_user]
  next_user = next_user % count + 1
  if form then
    return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded"},
      "username=" .. urlencode(email) .. "&password=" .. urlencode(password))
  end
  return wrk.format("POST", path, {["Content-Type"] = "application/json"},
    '{"email":"' .. email .. '","password":"' .. password .. '"}')
end
