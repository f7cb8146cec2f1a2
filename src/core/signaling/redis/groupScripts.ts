// The group directory's rules as Lua scripts (see scripts.ts for the conventions). ARGV[3] is the
// member TTL (ms). Keys (P = prefix, G = group): P g:G (hash: key owner), P g:G:seen (zset member ->
// last registration), P g:G:res (hash member -> published results), P g:G:own (member -> address),
// P g:G:wait (member -> until when a poll waits), P g:G:seq and P g:G:inb (member -> inbox counter
// and stored bytes), P g:G:in:NAME (the inbox stream, entry ID SEQ-0, fields f t r c), P groups
// (zset of groups by last registration), P gowners / P mowners (hash: groups / members per address),
// P gmembers and P gmsgs (counters). Wake-ups are published on P gw:G:NAME.

const COMMON = `
local P = ARGV[1]
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local function gk(g, s) return P .. 'g:' .. g .. (s or '') end
local function inbox(g, n) return P .. 'g:' .. g .. ':in:' .. n end
local function dec(h, f) if redis.call('HINCRBY', h, f, -1) <= 0 then redis.call('HDEL', h, f) end end
local function dropgroup(g)
  local owner = redis.call('HGET', gk(g), 'owner')
  redis.call('DEL', gk(g), gk(g, ':seen'), gk(g, ':res'), gk(g, ':own'), gk(g, ':wait'), gk(g, ':seq'), gk(g, ':inb'))
  redis.call('ZREM', P .. 'groups', g)
  if owner and owner ~= '' then dec(P .. 'gowners', owner) end
end
local function dropmember(g, n)
  local owner = redis.call('HGET', gk(g, ':own'), n)
  redis.call('ZREM', gk(g, ':seen'), n)
  for _, s in ipairs({':res', ':own', ':wait', ':seq', ':inb'}) do redis.call('HDEL', gk(g, s), n) end
  redis.call('DECRBY', P .. 'gmsgs', redis.call('XLEN', inbox(g, n)))
  redis.call('DEL', inbox(g, n))
  redis.call('DECR', P .. 'gmembers')
  if owner and owner ~= '' then dec(P .. 'mowners', owner) end
  redis.call('PUBLISH', P .. 'gw:' .. g .. ':' .. n, '1')
  if redis.call('ZCARD', gk(g, ':seen')) == 0 then dropgroup(g) end
end
local function prune(g)
  for _, n in ipairs(redis.call('ZRANGEBYSCORE', gk(g, ':seen'), '-inf', now - ttl)) do
    if now >= tonumber(redis.call('HGET', gk(g, ':wait'), n) or 0) then dropmember(g, n) end
  end
end
local function members(g)
  local out = {}
  local list = redis.call('ZRANGE', gk(g, ':seen'), 0, -1, 'WITHSCORES')
  for i = 1, #list, 2 do
    out[#out + 1] = {list[i], list[i + 1], redis.call('HGET', gk(g, ':res'), list[i])}
  end
  return out
end
local function auth(g, key)
  prune(g)
  local k = redis.call('HGET', gk(g), 'key')
  if not k then return 404 end
  if k ~= key then return 401 end
  return 0
end
local function ismember(g, n) return redis.call('ZSCORE', gk(g, ':seen'), n) ~= false end
`

/** ARGV 4..: group key name owner hasResults results maxGroups maxGroupsPerAddress maxMembersPerGroup maxMembersPerAddress */
export const REGISTER = `${COMMON}
local g, key, n, owner = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
prune(g)
local k = redis.call('HGET', gk(g), 'key')
local created = false
if not k then
  if redis.call('ZCARD', P .. 'groups') >= tonumber(ARGV[10]) then return {503} end
  if owner ~= '' and tonumber(redis.call('HGET', P .. 'gowners', owner) or 0) >= tonumber(ARGV[11]) then return {429, 'groups'} end
  redis.call('HSET', gk(g), 'key', key, 'owner', owner)
  if owner ~= '' then redis.call('HINCRBY', P .. 'gowners', owner, 1) end
  created = true
elseif k ~= key then return {401} end
if not ismember(g, n) then
  local refuse = false
  if redis.call('ZCARD', gk(g, ':seen')) >= tonumber(ARGV[12]) then refuse = 'group'
  elseif owner ~= '' and tonumber(redis.call('HGET', P .. 'mowners', owner) or 0) >= tonumber(ARGV[13]) then refuse = 'members' end
  if refuse then
    if created then dropgroup(g) end
    return {429, refuse}
  end
  redis.call('HSET', gk(g, ':own'), n, owner)
  redis.call('INCR', P .. 'gmembers')
  if owner ~= '' then redis.call('HINCRBY', P .. 'mowners', owner, 1) end
end
redis.call('ZADD', gk(g, ':seen'), now, n)
if ARGV[8] == '1' then redis.call('HSET', gk(g, ':res'), n, ARGV[9]) end
redis.call('ZADD', P .. 'groups', now, g)
return {0, members(g)}
`

/** ARGV 4..: group key */
export const LIST = `${COMMON}
local s = auth(ARGV[4], ARGV[5])
if s ~= 0 then return {s} end
return {0, members(ARGV[4])}
`

/** ARGV 4..: group key name */
export const LEAVE = `${COMMON}
local s = auth(ARGV[4], ARGV[5])
if s ~= 0 then return {s} end
if ismember(ARGV[4], ARGV[6]) then dropmember(ARGV[4], ARGV[6]) end
return {0}
`

/** ARGV 4..: group key to from type raw cost maxInboxBytes */
export const SEND = `${COMMON}
local g, to, cost = ARGV[4], ARGV[6], tonumber(ARGV[10])
local s = auth(g, ARGV[5])
if s ~= 0 then return {s} end
if not ismember(g, to) then return {404, 'member'} end
if tonumber(redis.call('HGET', gk(g, ':inb'), to) or 0) + cost > tonumber(ARGV[11]) then return {429} end
local seq = redis.call('HINCRBY', gk(g, ':seq'), to, 1)
redis.call('XADD', inbox(g, to), seq .. '-0', 'f', ARGV[7], 't', ARGV[8], 'r', ARGV[9], 'c', cost)
redis.call('HINCRBY', gk(g, ':inb'), to, cost)
redis.call('INCR', P .. 'gmsgs')
redis.call('PUBLISH', P .. 'gw:' .. g .. ':' .. to, '1')
return {0, seq}
`

/** ARGV 4..: group key name after waitUntil. Acknowledges up to `after`, answers {0, entries after it}. */
export const RECEIVE = `${COMMON}
local g, n, after = ARGV[4], ARGV[6], tonumber(ARGV[7])
local s = auth(g, ARGV[5])
if s ~= 0 then return {s} end
if not ismember(g, n) then return {404, 'member'} end
if tonumber(redis.call('ZSCORE', gk(g, ':seen'), n)) < now then redis.call('ZADD', gk(g, ':seen'), now, n) end
redis.call('HSET', gk(g, ':wait'), n, ARGV[8])
local acked = redis.call('XRANGE', inbox(g, n), '-', string.format('%d', after) .. '-0')
if #acked > 0 then
  local bytes = 0
  for _, e in ipairs(acked) do
    redis.call('XDEL', inbox(g, n), e[1])
    local f = e[2]
    for i = 1, #f, 2 do if f[i] == 'c' then bytes = bytes + tonumber(f[i + 1]) end end
  end
  redis.call('HINCRBY', gk(g, ':inb'), n, -bytes)
  redis.call('DECRBY', P .. 'gmsgs', #acked)
end
return {0, redis.call('XRANGE', inbox(g, n), string.format('%d', after + 1) .. '-0', '+')}
`

/** Drops expired members of groups nobody registered in for the TTL. */
export const SWEEP = `${COMMON}
for _, g in ipairs(redis.call('ZRANGEBYSCORE', P .. 'groups', '-inf', now - ttl, 'LIMIT', 0, 200)) do
  if redis.call('EXISTS', gk(g)) == 0 then redis.call('ZREM', P .. 'groups', g) else prune(g) end
end
return {0}
`

/** Answers {0, groups, members, messages}. */
export const STATS = `${COMMON}
local n = function(k) return tonumber(redis.call('GET', P .. k) or 0) end
return {0, redis.call('ZCARD', P .. 'groups'), n('gmembers'), n('gmsgs')}
`
