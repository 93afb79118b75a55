import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@nursing/testing';
import type { NurseInboxMessage } from '@nursing/contracts';
import { createNurseClient, type NurseClient, type NurseClientError } from '../src/index.ts';
import { CENTRE, orderBody, qualifiedNurse, startTestSystem, type TestSystem } from './test-system.ts';

const orderIdOf = (m: NurseInboxMessage): string | undefined => ('orderId' in m ? m.orderId : 'order' in m ? m.order.id : undefined);

/** Against real dispatch and gateway: the promises carry dispatch's results and error codes. */
describe('nurse client: requests', () => {
  let system: TestSystem;
  let coordinator: string;
  const nurses: Record<string, NurseClient> = {};
  const inbox: { nurseId: string; message: NurseInboxMessage }[] = [];

  beforeAll(async () => {
    system = await startTestSystem(1);
    const admin = system.tokens.admin();
    coordinator = system.tokens.coordinator('i1');
    for (const inst of ['i1', 'i2']) {
      expect((await system.call('POST', '/v1/institutions', admin, { id: inst, name: `Centre ${inst}`, kind: 'community_health_centre', location: CENTRE })).status).toBe(201);
    }
    for (const [i, id] of ['n-a', 'n-b'].entries()) {
      expect((await system.call('POST', '/v1/nurses', admin, qualifiedNurse(id, 'i1'))).status).toBe(201);
      const client = createNurseClient({ url: system.instances[0]!.nurseUrl, token: system.tokens.nurse(id, 'i1') });
      nurses[id] = client;
      client.on('message', (message) => inbox.push({ nurseId: id, message: message as NurseInboxMessage }));
      await client.status('available');
      client.location({ lat: CENTRE.lat + 0.001 * (i + 1), lng: CENTRE.lng, accuracyM: 5, atMs: Date.now() });
      await waitFor(() => client.unacknowledged === 0, { timeoutMs: 5_000, message: 'location acked' });
    }
    // A probe order of another institution counts our nurses once dispatch's index has them.
    const probe = await system.call('POST', '/v1/orders', system.tokens.coordinator('i2'), orderBody(CENTRE, 'push'));
    await waitFor(
      async () => (await system.call('GET', `/v1/orders/${String(probe.body['id'])}/candidates`, system.tokens.coordinator('i2'))).body['otherInstitutionsNearby'] === 2,
      { timeoutMs: 10_000, message: 'both nurses indexed' },
    );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(Object.values(nurses).map((c) => c.close()));
    await system?.close();
  });

  const received = (nurseId: string, type: string, orderId: string) =>
    waitFor(() => inbox.find((i) => i.nurseId === nurseId && i.message.type === type && orderIdOf(i.message) === orderId), {
      timeoutMs: 10_000,
      message: `${type} for ${nurseId}`,
    });

  it('a grab race: one promise resolves with the order and patient, the other rejects with ORDER_TAKEN', async () => {
    const created = await system.call('POST', '/v1/orders', coordinator, orderBody(CENTRE, 'grab'));
    expect(created.body['state']).toBe('broadcast');
    const orderId = String(created.body['id']);
    await received('n-a', 'broadcast', orderId);
    await received('n-b', 'broadcast', orderId);

    const outcomes = await Promise.allSettled([nurses['n-a']!.grab(orderId), nurses['n-b']!.grab(orderId)]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(won[0]!.value).toMatchObject({ order: { id: orderId, state: 'accepted' }, patient: { name: 'Test Patient' } });
    expect(lost.map((o) => (o.reason as NurseClientError).code)).toEqual(['ORDER_TAKEN']);

    // The winner's visit: progress resolves with the new state; a step out of turn rejects with its code.
    const winner = won[0]!.value.order.assignedNurseId as string;
    const client = nurses[winner]!;
    await expect(client.progress(orderId, 'en_route')).resolves.toMatchObject({ order: { state: 'en_route' } });
    await expect(client.progress(orderId, 'completed', { completion: { consumables: [], medicalWaste: { disposed: true, method: 'sharps box' } } })).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    await expect(client.progress(orderId, 'started')).rejects.toMatchObject({ code: 'DOMAIN_RULE' });
    await client.progress(orderId, 'arrived');
    await client.progress(orderId, 'started', { identityConfirmed: true });
    await expect(
      client.progress(orderId, 'completed', { completion: { consumables: [{ name: 'gloves', quantity: 2 }], medicalWaste: { disposed: true, method: 'sharps box' } } }),
    ).resolves.toMatchObject({ order: { state: 'completed' } });
  }, 60_000);

  it('push: a decline passes the offer on, and the next nurse accepts it', async () => {
    const created = await system.call('POST', '/v1/orders', coordinator, orderBody(CENTRE, 'push'));
    expect(created.body['state']).toBe('offered');
    const orderId = String(created.body['id']);
    const first = (created.body['offer'] as { nurseId: string }).nurseId;
    const second = first === 'n-a' ? 'n-b' : 'n-a';
    await received(first, 'offer', orderId);

    await expect(nurses[first]!.decline(orderId, 'too far')).resolves.toMatchObject({ order: { id: orderId } });
    await received(second, 'offer', orderId);
    await expect(nurses[first]!.accept(orderId)).rejects.toMatchObject({ code: 'OFFER_NOT_ACTIVE' });
    const assignment = await nurses[second]!.accept(orderId);
    expect(assignment).toMatchObject({ order: { id: orderId, state: 'accepted', assignedNurseId: second }, patient: { address: '1 Test Road' } });
    await received(second, 'assigned', orderId);
  }, 60_000);
});
