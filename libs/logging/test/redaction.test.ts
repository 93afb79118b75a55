import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.ts';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const patient = { id: 'p1', name: 'Wang Fang', phone: '13800138000', address: '88 Century Avenue, Pudong', location: { lat: 31.2, lng: 121.5 } };

describe('logger redaction (bytes written to a sink)', () => {
  it('removes patient identity at any depth and keeps the rest', () => {
    const out = sink();
    const log = createLogger({ name: 'test' }, out.stream);
    log.info({ orderId: 'o1', patient }, 'order created');
    log.info({ order: { id: 'o2', patient } }, 'nested');
    log.info({ event: { order: { patient } } }, 'deeper');
    log.info({ nurseId: 'n1', patientName: 'Wang Fang', patientPhone: '13800138000' }, 'flat fields');
    const text = out.text();
    expect(text).not.toContain('Wang Fang');
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('Century Avenue');
    const [first] = out.lines();
    expect(first).toMatchObject({ orderId: 'o1', patient: '[redacted]', msg: 'order created' });
  });

  it('removes tokens from fields, headers and URLs', () => {
    const out = sink();
    const log = createLogger({ name: 'test' }, out.stream);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJuMSJ9.c2lnbmF0dXJl';
    log.info({ token: jwt }, 'token field');
    log.info({ req: { method: 'GET', url: `/ws/nurse?token=${jwt}&x=1`, headers: { authorization: `Bearer ${jwt}` } } }, 'request');
    log.info({ config: { JWT_SECRET: 'super-secret-value-that-is-long-enough' } }, 'config');
    const text = out.text();
    expect(text).not.toContain(jwt);
    expect(text).not.toContain('super-secret-value');
    expect(text).toContain('/ws/nurse?token=[redacted]&x=1');
  });
});
