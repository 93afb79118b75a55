/**
 * Stores a new order in one step: the order hash (document, state, counters) and the
 * patient apart, or nothing when the id is taken. One step, so a Redis failure cannot
 * leave an order without a state or without its patient. Both keys share the order's
 * hash tag: Redis Cluster safe.
 *
 * KEYS[1] order hash, KEYS[2] patient
 * ARGV[1] doc JSON, ARGV[2] state, ARGV[3] updatedAt, ARGV[4] patient JSON
 * Returns 1 when stored, 0 when the order exists.
 */
export const ORDER_CREATE_LUA = `
if redis.call('HSETNX', KEYS[1], 'doc', ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updatedAt', ARGV[3], 'attempts', '0', 'version', '1')
redis.call('SET', KEYS[2], ARGV[4])
return 1
`;
