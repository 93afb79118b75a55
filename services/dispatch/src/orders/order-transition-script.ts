/**
 * The one place an order changes state. Every check and write happens inside Redis
 * in one step, so two dispatch instances (or five hundred grabbing nurses) can race
 * and exactly one wins. All keys share the order's hash tag: Redis Cluster safe.
 *
 * KEYS[1] order hash, KEYS[2] offered set, KEYS[3] broadcast set
 * ARGV[1] conditions JSON: { states?, offerNurseId?, offerLive?, offerExpired?,
 *          broadcastOpen?, broadcastMember?, notOffered?, assignedNurseId? }
 * ARGV[2] fields to set JSON (string values), ARGV[3] fields to delete JSON array,
 * ARGV[4] now (epoch ms), ARGV[5] JSON array of nurse ids to add to the broadcast set
 * Returns { 'OK' | failure code, state before }.
 */
export const ORDER_TRANSITION_LUA = `
local cond = cjson.decode(ARGV[1])
local now = tonumber(ARGV[4])
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'NOT_FOUND', ''} end
if cond.states then
  local allowed = false
  for _, s in ipairs(cond.states) do if s == state then allowed = true end end
  if not allowed then return {'ILLEGAL_TRANSITION', state} end
end
if cond.offerNurseId and redis.call('HGET', KEYS[1], 'offerNurseId') ~= cond.offerNurseId then
  return {'OFFER_NOT_ACTIVE', state}
end
if cond.offerLive and now >= tonumber(redis.call('HGET', KEYS[1], 'offerExpiresAtMs') or '0') then
  return {'OFFER_NOT_ACTIVE', state}
end
if cond.offerExpired and now < tonumber(redis.call('HGET', KEYS[1], 'offerExpiresAtMs') or '0') then
  return {'OFFER_NOT_ACTIVE', state}
end
if cond.broadcastOpen and now >= tonumber(redis.call('HGET', KEYS[1], 'broadcastUntilMs') or '0') then
  return {'ORDER_TAKEN', state}
end
if cond.broadcastMember and redis.call('SISMEMBER', KEYS[3], cond.broadcastMember) == 0 then
  return {'FORBIDDEN', state}
end
if cond.assignedNurseId and redis.call('HGET', KEYS[1], 'assignedNurseId') ~= cond.assignedNurseId then
  return {'FORBIDDEN', state}
end
if cond.notOffered then
  if redis.call('SADD', KEYS[2], cond.notOffered) == 0 then return {'ALREADY_OFFERED', state} end
end
local set = cjson.decode(ARGV[2])
for k, v in pairs(set) do redis.call('HSET', KEYS[1], k, v) end
local del = cjson.decode(ARGV[3])
for _, k in ipairs(del) do redis.call('HDEL', KEYS[1], k) end
local members = cjson.decode(ARGV[5])
for _, m in ipairs(members) do redis.call('SADD', KEYS[3], m) end
redis.call('HINCRBY', KEYS[1], 'version', 1)
return {'OK', state}
`;
