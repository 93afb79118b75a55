import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { useSharedInfra, type SharedInfra } from '@nursing/testing';
import { createLogger } from '../src/index.ts';

// ioredis puts a failed command's arguments on its error; for a write they are the stored
// document, with the patient inside one string. A real Redis refuses a real script here.
let infra: SharedInfra;
let redis: Redis;

beforeAll(async () => {
  infra = await useSharedInfra();
  redis = new Redis(infra.redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await infra.cleanup();
});

describe('logged errors', () => {
  it('keep the failed Redis command name but not its arguments', async () => {
    const order = JSON.stringify({ id: 'o1', patient: { name: 'Wang Fang', address: '88 Century Avenue, Pudong' } });
    const err = await redis.eval("return redis.error_reply('ERR refused')", 1, `${infra.ns}:order:o1`, order).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(JSON.stringify((err as Error & { command?: unknown }).command)).toContain('Wang Fang'); // what ioredis attaches

    const chunks: string[] = [];
    const log = createLogger({ name: 'test' }, new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) }));
    log.error({ err, orderId: 'o1' }, 'order write failed');
    const text = chunks.join('');
    expect(text).not.toContain('Wang Fang');
    expect(text).not.toContain('Century Avenue');
    const line = JSON.parse(text) as { err: { message: string; command: unknown; stack: string } };
    expect(line.err.message).toContain('ERR refused');
    expect(line.err.command).toEqual({ name: 'eval', argCount: 4 });
    expect(line.err.stack).toBeTypeOf('string');
  });
});
