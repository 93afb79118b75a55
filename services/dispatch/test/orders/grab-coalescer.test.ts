import { describe, expect, it } from 'vitest';
import { createGrabCoalescer } from '../../src/orders/grab-coalescer.ts';

// The coalescer on its own, with a stand-in for Redis's atomic decision: grabs start
// together (one synchronous loop, as a NATS burst delivers them) and the decision
// takes a real timer tick, so later grabs really arrive while an earlier one is pending.
class Refusal extends Error {}
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function fakeOrder(grabs: ReturnType<typeof createGrabCoalescer<Refusal>>, orderId: string, refuse: (nurseId: string) => string | undefined = () => undefined) {
  let winner: string | undefined;
  const decided: string[] = [];
  return {
    decided,
    decide: (nurseId: string) => async () => {
      decided.push(nurseId);
      await tick();
      const own = refuse(nurseId);
      if (own) throw new Error(own);
      if (winner !== undefined && winner !== nurseId) throw new Error('ORDER_TAKEN (asked Redis)');
      winner = nurseId;
      grabs.taken(orderId, nurseId);
      return nurseId;
    },
  };
}

async function storm(grabs: ReturnType<typeof createGrabCoalescer<Refusal>>, orderId: string, nurses: string[], decide: (nurseId: string) => () => Promise<string>) {
  const pending = nurses.map((n) => grabs.grab(orderId, n, decide(n)));
  return Promise.allSettled(pending);
}

describe('grab coalescer', () => {
  it('lets one grab of a storm ask Redis and refuses the rest from memory, with one shared refusal', async () => {
    let built = 0;
    const grabs = createGrabCoalescer({
      refusal: () => {
        built++;
        return new Refusal('ORDER_TAKEN');
      },
    });
    const order = fakeOrder(grabs, 'o1');
    const nurses = Array.from({ length: 500 }, (_, i) => `n${i}`);
    const results = await storm(grabs, 'o1', nurses, order.decide);

    expect(order.decided).toEqual(['n0']);
    expect(results.filter((r) => r.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: 'n0' }]);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refusals).toHaveLength(499);
    expect(refusals.every((r) => r instanceof Refusal)).toBe(true);
    expect(built).toBe(1);

    // Grabs arriving after the storm are refused at once too.
    await expect(grabs.grab('o1', 'late', order.decide('late'))).rejects.toBeInstanceOf(Refusal);
    expect(order.decided).toEqual(['n0']);
  });

  it('lets the others go ahead when the first grab fails for a reason of its own', async () => {
    const grabs = createGrabCoalescer({ refusal: () => new Refusal('ORDER_TAKEN') });
    const order = fakeOrder(grabs, 'o2', (n) => (n === 'busy' ? 'NURSE_BUSY' : undefined));
    const results = await storm(grabs, 'o2', ['busy', ...Array.from({ length: 100 }, (_, i) => `n${i}`)], order.decide);

    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: 'NURSE_BUSY' } });
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    // Every grab was answered: the rest by Redis's decision, or from memory once it was known.
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(100);
  });

  it("asks Redis again for the winner's own repeat, never refusing her", async () => {
    const grabs = createGrabCoalescer({ refusal: () => new Refusal('ORDER_TAKEN') });
    grabs.taken('o3', 'n1');
    const order = fakeOrder(grabs, 'o3');
    await expect(grabs.grab('o3', 'n1', order.decide('n1'))).resolves.toBe('n1');
    await expect(grabs.grab('o3', 'n2', order.decide('n2'))).rejects.toBeInstanceOf(Refusal);
    expect(order.decided).toEqual(['n1']);
  });

  it('an order closed without a winner refuses everyone', async () => {
    const grabs = createGrabCoalescer({ refusal: () => new Refusal('ORDER_TAKEN') });
    grabs.taken('o4', '');
    const order = fakeOrder(grabs, 'o4');
    await expect(grabs.grab('o4', 'n1', order.decide('n1'))).rejects.toBeInstanceOf(Refusal);
    expect(order.decided).toEqual([]);
  });

  it('forgets the oldest orders beyond its limit, which are then asked of Redis again', async () => {
    const grabs = createGrabCoalescer({ refusal: () => new Refusal('ORDER_TAKEN'), remember: 2 });
    for (const id of ['a', 'b', 'c']) grabs.taken(id, 'w');
    const decided: string[] = [];
    const decide = (orderId: string) => async () => {
      decided.push(orderId);
      return orderId;
    };
    await expect(grabs.grab('a', 'x', decide('a'))).resolves.toBe('a');
    await expect(grabs.grab('c', 'x', decide('c'))).rejects.toBeInstanceOf(Refusal);
    expect(decided).toEqual(['a']);
  });
});
