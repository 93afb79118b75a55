import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startSystemApp, type SystemApp } from './system-app.ts';
import { seedSystem, SEED } from './seed.ts';
import { stateDigest } from './state-digest.ts';

// Property: whatever arrives at any route, from any role, the answer is never a 5xx,
// and a refused request (4xx) leaves Redis and JetStream exactly as they were.
// Routes come from the served OpenAPI document, so a new route is fuzzed unasked.

type Operation = { method: string; path: string; bodyProps: string[]; queryProps: string[] };

let t: SystemApp;
let operations: Operation[];
let orderId: string;

beforeAll(async () => {
  t = await startSystemApp({ LOG_LEVEL: 'silent' });
  ({ orderId } = await seedSystem(t));
  const doc = t.app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> }; parameters?: { in: string; name: string }[] }>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      bodyProps: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
      queryProps: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
}, 60_000);
afterAll(() => t?.close());

const oddStrings = fc.constantFrom('', ' ', '..', '%2e%2e%2f', 'x'.repeat(300), '\u0000', 'ñ漢字', '{o:1}', '*', '>', 'a.b', '-1', '1e309');

describe('every route, fuzzed', () => {
  it('is documented (the fuzzer sees the whole API)', () => {
    const paths = operations.map((o) => `${o.method} ${o.path}`);
    expect(paths).toEqual(expect.arrayContaining(['POST /v1/orders', 'GET /v1/orders/{id}/timeline', 'POST /v1/nurses', 'PUT /v1/nurses/{id}/location']));
    expect(operations.length).toBeGreaterThan(20);
  });

  it('never answers 5xx, and a refused request changes no state', async () => {
    const tokens = [
      undefined,
      'not-a-jwt',
      t.tokens.admin(),
      t.tokens.coordinator(SEED.institution),
      t.tokens.coordinator(SEED.otherInstitution),
      t.tokens.nurse(SEED.nurse, SEED.institution),
      t.tokens.security(),
    ];
    const { redis, bus, config } = t.deps;
    const request = fc.record({
      op: fc.integer({ min: 0, max: operations.length - 1 }),
      token: fc.constantFrom(...tokens),
      id: fc.oneof(fc.constantFrom(orderId, SEED.nurse, SEED.institution, 'missing-1'), oddStrings, fc.string({ maxLength: 20 })),
      body: fc.oneof(
        fc.constant(undefined),
        fc.anything({ maxDepth: 2 }),
        fc.string().map((s) => `{"broken": ${s}`),
        fc.integer({ min: 0, max: 1_000_000 }),
      ),
      fields: fc.dictionary(fc.string({ maxLength: 12 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
      knownFieldValues: fc.array(fc.oneof(fc.anything({ maxDepth: 2 }), oddStrings), { minLength: 8, maxLength: 8 }),
      query: fc.array(fc.oneof(oddStrings, fc.string({ maxLength: 10 }), fc.integer().map(String)), { minLength: 4, maxLength: 4 }),
    });

    let refused = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const op = operations[r.op]!;
        const url = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.id));
        const query = Object.fromEntries(op.queryProps.map((name, i) => [name, r.query[i % r.query.length]!]));
        // Known field names with wrong-typed values, plus unknown fields: the likeliest real mistakes.
        const shaped = Object.fromEntries(op.bodyProps.map((name, i) => [name, r.knownFieldValues[i % 8]]));
        const payload = typeof r.body === 'string' || r.body === undefined ? r.body : op.bodyProps.length ? { ...shaped, ...r.fields } : r.body;
        const before = await stateDigest(redis, bus.jsm, config.NAMESPACE);
        const res = await t.app.inject({
          method: op.method as 'GET',
          url,
          query,
          headers: { ...(r.token ? { authorization: `Bearer ${r.token}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
        });
        expect(res.statusCode, `${op.method} ${url} -> ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          refused++;
          expect(res.json().error.code, res.body).toEqual(expect.any(String));
          expect(await stateDigest(redis, bus.jsm, config.NAMESPACE), `${op.method} ${url} was refused (${res.statusCode}) but changed state`).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
    expect(refused).toBeGreaterThan(200);
  }, 180_000);
});
