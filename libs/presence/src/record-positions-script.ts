/**
 * Writes a batch of positions that share one shard: the latest position per nurse
 * (a hash field) and each nurse's bounded trail. One round trip carries the whole
 * batch, which is what lets one gateway ingest tens of thousands of updates a second.
 * A position older than the stored one is ignored for "latest" (reports can arrive
 * out of order after a reconnect) but still joins the trail.
 *
 * KEYS[1] = positions hash of the shard, KEYS[2..n+1] = trail lists
 * ARGV[1] = trail length, then per position: nurseId, atMs, json
 */
export const RECORD_POSITIONS_LUA = `
local trailLength = tonumber(ARGV[1])
local n = #KEYS - 1
for i = 1, n do
  local base = 2 + (i - 1) * 3
  local id, atMs, json = ARGV[base], tonumber(ARGV[base + 1]), ARGV[base + 2]
  local current = redis.call('HGET', KEYS[1], id)
  local newer = true
  if current then
    local currentAt = tonumber(string.match(current, '"atMs":(%d+)'))
    if currentAt and currentAt > atMs then newer = false end
  end
  if newer then redis.call('HSET', KEYS[1], id, json) end
  redis.call('LPUSH', KEYS[i + 1], json)
  redis.call('LTRIM', KEYS[i + 1], 0, trailLength - 1)
end
return n
`;
