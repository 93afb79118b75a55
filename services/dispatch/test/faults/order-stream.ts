import { setTimeout as sleep } from 'node:timers/promises';
import type { LatLng } from '@nursing/contracts';
import { orderBody, offset } from '../fixtures.ts';

export interface CreatedOrder {
  id: string;
  mode: 'push' | 'grab';
  /** HTTP attempts it took; more than 1 means a retry. */
  attempts: number;
  /** 201 on the first success, 409 ALREADY_EXISTS when a retry found the earlier attempt had stored it. */
  outcome: 201 | 409 | 'gave up';
  lastError?: string;
}

export interface OrderStreamOptions {
  /** Base URLs of the dispatch instances; requests rotate over them, and a retry goes to the next one. */
  instances: () => string[];
  token: string;
  count: number;
  perSecond: number;
  centre: LatLng;
  /** Give up on one order after this long. */
  retryForMs?: number;
}

/** Every third order is a grab order. */
const modeOf = (i: number): 'push' | 'grab' => (i % 3 === 2 ? 'grab' : 'push');

/** One attempt: the HTTP status and body, or (status 0) the connection error's code. */
export async function postOrder(url: string, token: string, centre: LatLng, id: string, i: number): Promise<{ status: number; text: string; error: string }> {
  // Patients spread within ~3 km of the centre, so orders compete for the same nurses.
  const body = orderBody(offset(centre, 200 + ((i * 397) % 3_000), (i * 53) % 360), { id, mode: modeOf(i) });
  try {
    const res = await fetch(`${url}/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, text: await res.text(), error: '' };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, text: '', error: cause?.code ?? cause?.message ?? (err as Error).message };
  }
}

/**
 * A coordinator's client creating a stream of push and grab orders, each with its own
 * id, retrying on connection errors and 5xx (and 429) like a real client: the same id
 * on every attempt, so a retry cannot create a second order. POST /v1/orders with an
 * id that exists answers 409 ALREADY_EXISTS; for a retry that means "your earlier
 * attempt got through", which is how this client reads it.
 */
export async function streamOrders(options: OrderStreamOptions, prefix = 'o'): Promise<CreatedOrder[]> {
  const retryForMs = options.retryForMs ?? 30_000;
  let turn = 0;

  async function createOne(i: number): Promise<CreatedOrder> {
    const id = `${prefix}${i}`;
    const mode = modeOf(i);
    const deadline = Date.now() + retryForMs;
    let attempts = 0;
    let lastError = '';
    while (Date.now() < deadline) {
      const urls = options.instances();
      const url = urls[turn++ % urls.length] as string;
      attempts++;
      const res = await postOrder(url, options.token, options.centre, id, i);
      if (res.status === 201) return { id, mode, attempts, outcome: 201 };
      if (res.status === 409 && attempts > 1 && res.text.includes('ALREADY_EXISTS')) return { id, mode, attempts, outcome: 409 };
      lastError = res.status ? `${res.status} ${res.text.slice(0, 200)}` : res.error;
      if (res.status && res.status < 500 && res.status !== 429) return { id, mode, attempts, outcome: 'gave up', lastError };
      await sleep(Math.min(100 * 2 ** attempts, 2_000));
    }
    return { id, mode, attempts, outcome: 'gave up', lastError };
  }

  const started = Date.now();
  const results: Promise<CreatedOrder>[] = [];
  for (let i = 0; i < options.count; i++) {
    const due = started + (i * 1000) / options.perSecond;
    if (due > Date.now()) await sleep(due - Date.now());
    results.push(createOne(i));
  }
  return Promise.all(results);
}
