// The room rules as Lua scripts, each run atomically by Redis, so instances never race each other.
// Every script gets ARGV[1] = key prefix, ARGV[2] = now (ms), ARGV[3] = key lifetime (ms), and
// answers {status, ...}: status 0 is success, else the HTTP status the server answers with.
//
// Keys (P = prefix): P room:ID (hash: secret owner host join jname jhello jpoll jleft seq pending
// active, wait_host/wait_join = until when a poll is waiting), P m:ID:host and P m:ID:join (the
// streams of messages to that peer; entry ID SEQ-0, fields f t r c), P rooms (zset of room ids by
// last activity), P owners (hash: rooms per address), P stored (bytes of all undelivered
// messages), P quiet (rooms whose joiner has not said hello), P joined (rooms with a joiner).
// Wake-ups are published on P w:ID:PEER.

const COMMON = `
local P = ARGV[1]
local now = tonumber(ARGV[2])
local life = tonumber(ARGV[3])
local function rk(id) return P .. 'room:' .. id end
local function mk(id, peer) return P .. 'm:' .. id .. ':' .. peer end
local function wake(id, peer) redis.call('PUBLISH', P .. 'w:' .. id .. ':' .. peer, '1') end
local function sumcost(entries)
  local s = 0
  for _, e in ipairs(entries) do
    local f = e[2]
    for i = 1, #f, 2 do if f[i] == 'c' then s = s + tonumber(f[i + 1]) end end
  end
  return s
end
local function touch(id)
  redis.call('HSET', rk(id), 'active', now)
  redis.call('ZADD', P .. 'rooms', now, id)
  for _, k in ipairs({rk(id), mk(id, 'host'), mk(id, 'join')}) do redis.call('PEXPIRE', k, life) end
end
local function free(id, entries)
  if #entries == 0 then return end
  local bytes = sumcost(entries)
  redis.call('HINCRBY', rk(id), 'pending', -bytes)
  redis.call('DECRBY', P .. 'stored', bytes)
  redis.call('DECRBY', P .. 'count', #entries)
end
local function drop(id, peer)
  free(id, redis.call('XRANGE', mk(id, peer), '-', '+'))
  redis.call('DEL', mk(id, peer))
end
local function store(id, from, to, mtype, raw, cost)
  local seq = redis.call('HINCRBY', rk(id), 'seq', 1)
  redis.call('XADD', mk(id, to), seq .. '-0', 'f', from, 't', mtype, 'r', raw, 'c', cost)
  redis.call('HINCRBY', rk(id), 'pending', cost)
  redis.call('INCRBY', P .. 'stored', cost)
  redis.call('INCR', P .. 'count')
  wake(id, to)
  return seq
end
local function quiet(id, idle)
  local j = redis.call('HMGET', rk(id), 'join', 'jhello', 'jpoll', 'wait_join')
  if not j[1] or j[2] == '1' then return false end
  return now - tonumber(j[3] or 0) >= idle and now >= tonumber(j[4] or 0)
end
local function freejoiner(id, leftRaw, leftCost)
  drop(id, 'join')
  redis.call('HDEL', rk(id), 'join', 'jname', 'jhello', 'jpoll', 'jleft', 'wait_join')
  redis.call('SREM', P .. 'quiet', id)
  redis.call('SREM', P .. 'joined', id)
  wake(id, 'join')
  if leftRaw then store(id, 'server', 'host', 'peer-left', leftRaw, leftCost) end
end
local function remove(id)
  local owner = redis.call('HGET', rk(id), 'owner')
  drop(id, 'host')
  drop(id, 'join')
  redis.call('DEL', rk(id))
  redis.call('ZREM', P .. 'rooms', id)
  redis.call('SREM', P .. 'quiet', id)
  redis.call('SREM', P .. 'joined', id)
  if owner and owner ~= '' then
    if redis.call('HINCRBY', P .. 'owners', owner, -1) <= 0 then redis.call('HDEL', P .. 'owners', owner) end
  end
  wake(id, 'host')
  wake(id, 'join')
end
local function token(id, peer, t)
  local field = peer == 'host' and 'host' or 'join'
  return redis.call('HGET', rk(id), field) == t
end
`

/** ARGV 4..: id secret hostToken owner maxRooms maxRoomsPerAddress */
export const CREATE = `${COMMON}
local id, owner = ARGV[4], ARGV[7]
if redis.call('ZCARD', P .. 'rooms') >= tonumber(ARGV[8]) then return {503} end
if owner ~= '' and tonumber(redis.call('HGET', P .. 'owners', owner) or 0) >= tonumber(ARGV[9]) then return {429} end
if redis.call('EXISTS', rk(id)) == 1 then return {409} end
redis.call('HSET', rk(id), 'secret', ARGV[5], 'owner', owner, 'host', ARGV[6], 'seq', 0, 'pending', 0, 'wait_host', 0)
if owner ~= '' then redis.call('HINCRBY', P .. 'owners', owner, 1) end
touch(id)
return {0}
`

/** ARGV 4..: id token name idleMs peerLeftRaw peerLeftCost (the secret was checked by the caller) */
export const JOIN = `${COMMON}
local id = ARGV[4]
if redis.call('EXISTS', rk(id)) == 0 then return {404} end
local j = redis.call('HMGET', rk(id), 'join', 'jleft')
if j[1] and j[2] == '1' then freejoiner(id, nil, 0)
elseif j[1] and quiet(id, tonumber(ARGV[7])) then freejoiner(id, ARGV[8], tonumber(ARGV[9])) end
if redis.call('HEXISTS', rk(id), 'join') == 1 then return {409} end
redis.call('HSET', rk(id), 'join', ARGV[5], 'jhello', 0, 'jpoll', now, 'wait_join', 0)
if ARGV[6] ~= '' then redis.call('HSET', rk(id), 'jname', ARGV[6]) end
redis.call('SADD', P .. 'quiet', id)
redis.call('SADD', P .. 'joined', id)
touch(id)
return {0}
`

/** ARGV 4..: id peer token type raw cost maxPendingBytes maxStoredBytes */
export const POST = `${COMMON}
local id, peer, mtype, cost = ARGV[4], ARGV[5], ARGV[7], tonumber(ARGV[9])
if redis.call('EXISTS', rk(id)) == 0 then return {404} end
if not token(id, peer, ARGV[6]) then return {401} end
if tonumber(redis.call('HGET', rk(id), 'pending')) + cost > tonumber(ARGV[10]) then return {429} end
if tonumber(redis.call('GET', P .. 'stored') or 0) + cost > tonumber(ARGV[11]) then return {503} end
if peer == 'join' and mtype == 'hello' then
  redis.call('HSET', rk(id), 'jhello', 1)
  redis.call('SREM', P .. 'quiet', id)
end
local seq = store(id, peer, peer == 'host' and 'join' or 'host', mtype, ARGV[8], cost)
if peer == 'join' and mtype == 'bye' then redis.call('HSET', rk(id), 'jleft', 1) end
touch(id)
return {0, seq}
`

/**
 * ARGV 4..: id peer token after waitUntil. Acknowledges (deletes) the caller's messages up to
 * `after` and answers {0, entries after it}; waitUntil marks a poll as waiting until then.
 */
export const POLL = `${COMMON}
local id, peer, after = ARGV[4], ARGV[5], tonumber(ARGV[7])
if redis.call('EXISTS', rk(id)) == 0 then return {404} end
if not token(id, peer, ARGV[6]) then return {401} end
if peer == 'join' then redis.call('HSET', rk(id), 'jpoll', now) end
redis.call('HSET', rk(id), 'wait_' .. peer, ARGV[8])
local acked = redis.call('XRANGE', mk(id, peer), '-', string.format('%d', after) .. '-0')
if #acked > 0 then
  for _, e in ipairs(acked) do redis.call('XDEL', mk(id, peer), e[1]) end
  free(id, acked)
end
touch(id)
return {0, redis.call('XRANGE', mk(id, peer), string.format('%d', after + 1) .. '-0', '+')}
`

/** ARGV 4..: ttlMs idleMs peerLeftRaw peerLeftCost. Deletes idle rooms, frees quiet joiners; answers {0, removed}. */
export const SWEEP = `${COMMON}
local removed = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'rooms', '-inf', now - tonumber(ARGV[4]), 'LIMIT', 0, 500)) do
  local w = redis.call('HMGET', rk(id), 'wait_host', 'wait_join')
  if now >= tonumber(w[1] or 0) and now >= tonumber(w[2] or 0) then
    remove(id)
    removed = removed + 1
  end
end
for _, id in ipairs(redis.call('SRANDMEMBER', P .. 'quiet', 500)) do
  if redis.call('EXISTS', rk(id)) == 0 then redis.call('SREM', P .. 'quiet', id)
  elseif quiet(id, tonumber(ARGV[5])) then freejoiner(id, ARGV[6], tonumber(ARGV[7])) end
end
return {0, removed}
`

/** ARGV 4: id. Deletes one room (tests, and an operator's tooling). */
export const DELETE = `${COMMON}
if redis.call('EXISTS', rk(ARGV[4])) == 1 then remove(ARGV[4]) end
return {0}
`

/** Answers {0, rooms, joiners, messages, storedBytes}. */
export const STATS = `${COMMON}
local n = function(k) return tonumber(redis.call('GET', P .. k) or 0) end
return {0, redis.call('ZCARD', P .. 'rooms'), redis.call('SCARD', P .. 'joined'), n('count'), n('stored')}
`
