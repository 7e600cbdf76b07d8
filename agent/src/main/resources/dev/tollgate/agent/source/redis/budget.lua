-- Tollgate's scoped budgets shared by every JVM on one Redis wallet: reserve on each of a call's
-- budgets all or nothing, or settle a call on each, in one atomic step.
-- KEYS: one hash per budget scope and period: 'spent' (nano-credits, every JVM's), and per JVM
--       'r:<jvm>' (what its calls in flight hold) and 'e:<jvm>' (when that lapses, ms of Redis time)
-- ARGV: 1 'reserve' or 'settle', 2 jvm, 3 reservation TTL in ms, 4 amount (reserve: to hold;
--       settle: what was held), 5 cost (settle), 6 '1' when every budget must fit (reserve),
--       then 4 per key: limit, seed (this JVM's journal spend for a key Redis does not have),
--       spend not yet reported (a settle that failed earlier), expiry of the key (ms since the epoch; 0: none)
-- Returns {refused (index from 1, or 0), then per key: spent, held by every JVM}. Amounts are
-- integers below 2^53 (exact in Lua's doubles), handed to Redis with %.0f, never tostring.
local function int(x) return string.format('%.0f', x) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mode, jvm, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local amount, cost, mustFit = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == '1'
local mine, expiry = 'r:' .. jvm, 'e:' .. jvm

-- Seeds the key (a first JVM's journal) and adds spend a failed settle left unreported; returns its limit.
local function prepare(i, key)
  local arg = 6 + (i - 1) * 4
  if redis.call('HSETNX', key, 'spent', ARGV[arg + 2]) == 1 and tonumber(ARGV[arg + 4]) > 0 then
    redis.call('PEXPIREAT', key, ARGV[arg + 4])
  end
  local late = tonumber(ARGV[arg + 3])
  if late ~= 0 then redis.call('HINCRBY', key, 'spent', int(late)) end
  return tonumber(ARGV[arg + 1])
end

-- The key's spend and what live JVMs hold; holds whose JVM stopped renewing them (a crash) are dropped.
local function state(key)
  local fields = redis.call('HGETALL', key)
  local h = {}
  for j = 1, #fields, 2 do h[fields[j]] = fields[j + 1] end
  local held = 0
  for f, v in pairs(h) do
    if string.sub(f, 1, 2) == 'r:' then
      local e = 'e:' .. string.sub(f, 3)
      if tonumber(h[e] or '0') <= now then
        redis.call('HDEL', key, f, e)
      else
        held = held + tonumber(v)
      end
    end
  end
  return tonumber(h['spent'] or '0'), held
end

local result = {0}
if mode == 'reserve' then
  local spent, held = {}, {}
  for i, key in ipairs(KEYS) do
    local limit = prepare(i, key)
    spent[i], held[i] = state(key)
    if mustFit and result[1] == 0 and amount > limit - spent[i] - held[i] then result[1] = i end
  end
  for i, key in ipairs(KEYS) do
    if result[1] == 0 then
      redis.call('HINCRBY', key, mine, int(amount))
      redis.call('HSET', key, expiry, int(now + ttl))
      held[i] = held[i] + amount
    end
    result[#result + 1] = int(spent[i])
    result[#result + 1] = int(held[i])
  end
else
  for i, key in ipairs(KEYS) do
    prepare(i, key)
    local left = redis.call('HINCRBY', key, mine, int(-amount))
    if left <= 0 then redis.call('HDEL', key, mine, expiry) else redis.call('HSET', key, expiry, int(now + ttl)) end
    redis.call('HINCRBY', key, 'spent', int(cost))
    local spent, held = state(key)
    result[#result + 1] = int(spent)
    result[#result + 1] = int(held)
  end
end
return result
