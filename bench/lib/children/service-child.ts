/**
 * A service under test in its own process, as production runs it: the modules named in
 * BENCH_MODULES (gateway, dispatch, alarms), built by service-kit from the usual
 * environment (NAMESPACE, REDIS_URL, NATS_URL, JWT_SECRET, ...), listening on a free
 * loopback port. Plus one thing production does not have: a trivial NATS responder on
 * `<ns>.bench.echo` on the service's own connection, the baseline for request/reply
 * figures. Talks to the benchmark over IPC (child-ipc.ts).
 */
import Type, { type TObject, type TSchema } from 'typebox';
import { CommonEnv, loadConfig, type CommonConfig } from '@nursing/config';
import { createLogger } from '@nursing/logging';
import { createServiceApp, createServiceDeps, type ServiceDeps, type ServiceModule } from '@nursing/service-kit';
import { announceReady, memorySnapshot, serveParent } from './child-ipc.ts';

type Factory = { env: Record<string, TSchema>; create: (deps: ServiceDeps<never>) => ServiceModule };

// Imported on demand: a service another team is rebuilding right now must not break the others' benchmarks.
const FACTORIES: Record<string, () => Promise<Factory>> = {
  gateway: async () => {
    const m = await import('@nursing/gateway');
    return { env: m.GatewayEnv, create: (deps) => m.createGatewayModule(deps) };
  },
  dispatch: async () => {
    const m = await import('@nursing/dispatch');
    return { env: m.DispatchEnv, create: (deps) => m.createDispatchModule(deps) };
  },
  alarms: async () => {
    const m = await import('@nursing/alarms');
    return { env: m.AlarmsEnv, create: (deps) => m.createAlarmsModule(deps) };
  },
};

const names = (process.env['BENCH_MODULES'] ?? '').split(',').filter(Boolean);
const unknown = names.filter((n) => !FACTORIES[n]);
if (names.length === 0 || unknown.length > 0) throw new Error(`BENCH_MODULES must list modules of ${Object.keys(FACTORIES).join(', ')}; got "${process.env['BENCH_MODULES']}"`);

const factories = await Promise.all(names.map((n) => FACTORIES[n]!()));
const schema: TObject = Type.Object(Object.assign({}, CommonEnv, ...factories.map((f) => f.env)));
const config = loadConfig(schema) as CommonConfig;
const log = createLogger({ name: `bench-${names.join('+')}`, level: config.LOG_LEVEL });
const deps = await createServiceDeps(config, log, `bench-${names.join('+')}`);
// The config was validated against every requested module's schema, so each gets the settings it reads.
const modules = factories.map((f) => f.create(deps as unknown as ServiceDeps<never>));
const app = await createServiceApp(deps, names.join('+'), modules);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();

const echo = deps.bus.nc.subscribe(`${config.NAMESPACE}.bench.echo`, {
  queue: 'bench-echo',
  callback: (err, msg) => {
    if (!err) msg.respond(msg.data);
  },
});
await deps.bus.nc.flush();

serveParent({ memory: memorySnapshot }, async () => {
  echo.unsubscribe();
  await app.close();
  await deps.close();
});
announceReady({
  port: typeof address === 'object' && address ? address.port : 0,
  // Which modules do real work: a stub ({ name } only) is how a service looks before it is built.
  modules: modules.map((m) => ({ name: m.name, routes: Boolean(m.routes), start: Boolean(m.start) })),
});
