import { describe, expect, it } from 'vitest';
import { createUnackedFrames } from '../src/unacked-frames.ts';
import { NurseClientError } from '../src/client-error.ts';

const location = (id: number, lat: number) => ({ type: 'location', id, lat, lng: 121.47, atMs: id });

describe('unacknowledged frames', () => {
  it('keeps frames in the order they were made and conflates locations to the newest', () => {
    const frames = createUnackedFrames({ timeoutMs: 60_000 });
    frames.add(location(1, 31.1));
    frames.add({ type: 'status', id: 2, status: 'available' });
    frames.add(location(3, 31.2));
    frames.add({ type: 'grab', id: 4, orderId: 'o-1' });
    frames.add(location(5, 31.3));
    expect(frames.frames().map((f) => f.id)).toEqual([2, 4, 5]);
    expect(frames.frames().at(-1)).toMatchObject({ lat: 31.3 });
  });

  it('an answer removes its frame; an answer to a superseded location finds nothing', () => {
    const frames = createUnackedFrames({ timeoutMs: 60_000 });
    frames.add(location(1, 31.1));
    frames.add(location(2, 31.2));
    expect(frames.take(1)).toBeUndefined();
    expect(frames.take(2)?.frame).toMatchObject({ id: 2 });
    expect(frames.size).toBe(0);
  });

  it('rejects a request that gets no answer in time with TIMEOUT and forgets it', async () => {
    const frames = createUnackedFrames({ timeoutMs: 30 });
    const settled = new Promise<unknown>((resolve, reject) => frames.add({ type: 'grab', id: 1, orderId: 'o-1' }, { resolve, reject }));
    await expect(settled).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(frames.size).toBe(0);
  });

  it('rejectAll rejects every waiting request with the given error', async () => {
    const frames = createUnackedFrames({ timeoutMs: 60_000 });
    const a = new Promise<unknown>((resolve, reject) => frames.add({ type: 'grab', id: 1, orderId: 'o-1' }, { resolve, reject }));
    const b = new Promise<unknown>((resolve, reject) => frames.add({ type: 'ping', id: 2 }, { resolve, reject }));
    frames.rejectAll(new NurseClientError('CLIENT_CLOSED', 'closed'));
    await expect(a).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(b).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});
