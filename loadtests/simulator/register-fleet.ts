import type { Api } from './http-client.ts';
import { errorCodeOf } from './http-client.ts';
import type { SimInstitution, SimNurse } from './fleet.ts';

/** Runs `work` over `items` with at most `limit` in flight. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Registers institutions and nurses as an admin would. Already registered (409) is
 * fine: the same seed gives the same fleet, so a rerun updates profiles to match.
 */
export async function registerFleet(api: Api, adminToken: string, institutions: readonly SimInstitution[], nurses: readonly SimNurse[]): Promise<void> {
  for (const inst of institutions) {
    const r = await api('POST', '/v1/institutions', adminToken, inst);
    if (r.status !== 201 && r.status !== 409) throw new Error(`registering institution ${inst.id} failed: ${r.status} ${errorCodeOf(r)}`);
  }
  await inBatches(nurses, 16, async ({ profile }) => {
    const created = await api('POST', '/v1/nurses', adminToken, profile);
    if (created.status === 201) return;
    if (created.status !== 409) throw new Error(`registering nurse ${profile.id} failed: ${created.status} ${errorCodeOf(created)}`);
    const { id: _id, institutionId: _inst, ...changes } = profile;
    const updated = await api('PATCH', `/v1/nurses/${profile.id}`, adminToken, changes);
    if (updated.status >= 300) throw new Error(`updating nurse ${profile.id} failed: ${updated.status} ${errorCodeOf(updated)}`);
  });
}
