import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findBinary, freePort, isReachable, waitFor } from '../src/index.ts';

describe('findBinary', () => {
  it('finds installed servers by name, also in /usr/sbin', () => {
    expect(findBinary('redis-server')).toMatch(/^\/.*\/redis-server$/);
    expect(findBinary('nats-server')).toMatch(/^\/.*\/nats-server$/);
  });

  it('returns undefined for a missing binary', () => {
    expect(findBinary('no-such-binary-here')).toBeUndefined();
  });
});

describe('freePort and isReachable', () => {
  it('hands out a port that is free until something listens on it', async () => {
    const port = await freePort();
    expect(await isReachable('127.0.0.1', port, 500)).toBe(false);
    const server = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    expect(await isReachable('127.0.0.1', port, 500)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let calls = 0;
    expect(await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { intervalMs: 1 })).toBe('after 3');
  });

  it('times out with the message and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 50, intervalMs: 10, message: 'the moon' },
      ),
    ).rejects.toThrow(/waiting for the moon \(last error: not yet\)/);
  });

  it('abandons an attempt that hangs past the deadline', async () => {
    await expect(waitFor(() => new Promise<boolean>(() => undefined), { timeoutMs: 50 })).rejects.toThrow(/Timed out/);
  });
});
