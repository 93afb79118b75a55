import type { FastifyInstance } from 'fastify';
import Type from 'typebox';

/** A readiness probe of one dependency; resolves when it answers. */
export type ReadinessCheck = () => Promise<void>;

const CHECK_TIMEOUT_MS = 2_000;

const HealthReply = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) });

/** `/healthz`: the process is alive. `/readyz`: every dependency answered just now. */
export function healthRoutes(checks: Record<string, ReadinessCheck>) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/healthz', { schema: { tags: ['health'], response: { 200: HealthReply } } }, async () => ({ status: 'ok' }));
    app.get('/readyz', { schema: { tags: ['health'], response: { 200: HealthReply, 503: HealthReply } } }, async (_req, reply) => {
      const results = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => [name, await probe(check)] as const),
      );
      const ready = results.every(([, r]) => r === 'ok');
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
    });
  };
}

async function probe(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return `failed: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}
