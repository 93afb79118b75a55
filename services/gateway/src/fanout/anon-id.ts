import { createHash } from 'node:crypto';

/**
 * How a coordinator sees a nurse of another institution: stable while she moves (the
 * map can animate her) and per viewing institution (two institutions cannot join
 * their views), but not her id. Not a secret: it hides identity from casual viewers,
 * it does not resist someone who knows the nurse ids.
 */
export function anonymousId(nurseId: string, viewerInstitution: string): string {
  return `anon-${createHash('sha1').update(`${nurseId}${viewerInstitution}`).digest('hex').slice(0, 8)}`;
}
