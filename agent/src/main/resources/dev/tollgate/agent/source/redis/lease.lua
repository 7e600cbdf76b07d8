-- Tollgate's shared wallet: one JVM's lease, renewed or released in one atomic step.
-- KEYS: 1 balance (unleased nano-credits), 2 leases (hash jvm -> nano-credits held),
--       3 expiries (sorted set jvm -> expiry, ms of Redis time), 4 reported (hash jvm -> spend total reported)
-- ARGV: 1 jvm, 2 the JVM's last acknowledged spend total (used when Redis has none for it),
--       3 its spend total now, 4 lease target, 5 extra (credits needed beyond what is held),
--       6 lease TTL in ms, 7 funding for a wallet that does not exist yet ('' for none), 8 'lease' or 'release'
-- Returns {held, balance, funded (1 or 0)}. Amounts are integers below 2^53 (exact in Lua's doubles);
-- they are handed to Redis with %.0f, never tostring (which would write 1e+15).
local function int(x) return string.format('%.0f', x) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[7] ~= '' then redis.call('SET', KEYS[1], ARGV[7], 'NX') end
local funded = redis.call('EXISTS', KEYS[1])

-- Leases whose JVM stopped renewing them (a crash, a partition): their unspent part returns.
for _, jvm in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do
  local h = tonumber(redis.call('HGET', KEYS[2], jvm) or '0')
  if h > 0 then redis.call('INCRBY', KEYS[1], int(h)) end
  redis.call('HDEL', KEYS[2], jvm)
  redis.call('HDEL', KEYS[4], jvm)
  redis.call('ZREM', KEYS[3], jvm)
end

-- This JVM's spend since its last report: from its lease, and beyond it from the balance (never lost).
local jvm = ARGV[1]
local total = tonumber(ARGV[3])
local spent = total - tonumber(redis.call('HGET', KEYS[4], jvm) or ARGV[2])
if spent < 0 then spent = 0 end
local held = tonumber(redis.call('HGET', KEYS[2], jvm) or '0') - spent
if held < 0 then
  redis.call('DECRBY', KEYS[1], int(-held))
  held = 0
end

if ARGV[8] == 'release' then
  if held > 0 then redis.call('INCRBY', KEYS[1], int(held)) end
  redis.call('HDEL', KEYS[2], jvm)
  redis.call('HDEL', KEYS[4], jvm)
  redis.call('ZREM', KEYS[3], jvm)
  return {0, tonumber(redis.call('GET', KEYS[1]) or '0'), funded}
end

-- Top the lease up to its target (or to what a call needs beyond it), as far as the balance goes.
local balance = tonumber(redis.call('GET', KEYS[1]) or '0')
local target = math.max(tonumber(ARGV[4]), held + tonumber(ARGV[5]))
local add = math.min(target - held, balance)
if add > 0 then
  balance = redis.call('DECRBY', KEYS[1], int(add))
  held = held + add
end
redis.call('HSET', KEYS[2], jvm, int(held))
redis.call('HSET', KEYS[4], jvm, int(total))
redis.call('ZADD', KEYS[3], int(now + tonumber(ARGV[6])), jvm)
return {held, balance, funded}
