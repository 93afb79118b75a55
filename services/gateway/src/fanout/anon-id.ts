import { createHash } from 'node:crypto';

// Maps re-draw the same nurses several times a second: hashing once per nurse and
// viewing institution is enough. Clear-when-full keeps it bounded without LRU upkeep.
const MAX_CACHED = 200_000;
const cache = new Map<string, string>();

/**
 * How a coordinator sees a nurse of another institution: stable while she moves (the
 * map can animate her) and per viewing institution (two institutions cannot join
 * their views), but not her id. Not a secret: it hides identity from casual viewers,
 * it does not resist someone who knows the nurse ids.
 */
export function anonymousId(nurseId: string, viewerInstitution: string): string {
  const key = `${nurseId}\u0000${viewerInstitution}`;
  let id = cache.get(key);
  if (id === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    id = `anon-${createHash('sha1').update(`${nurseId}${viewerInstitution}`).digest('hex').slice(0, 8)}`;
    cache.set(key, id);
  }
  return id;
}
