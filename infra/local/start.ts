import { resolve } from 'node:path';
import { CommonEnvSchema, ConfigError, loadConfig } from '@nursing/config';
import { ensureInfra } from '@nursing/local-servers';
import { runService } from '@nursing/service-kit';
import { createDispatchModule } from '@nursing/dispatch';
import { createGatewayModule } from '@nursing/gateway';
import { createAlarmsModule } from '@nursing/alarms';
import { AllInOneEnvSchema } from './all-in-one-env.ts';

// `npm start`: the whole system on one machine behind one base URL. Finds Redis and
// NATS at REDIS_URL / NATS_URL, or starts them from local binaries when nothing answers.

let base;
try {
  base = loadConfig(CommonEnvSchema);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}

const dataDir = resolve(base.DATA_DIR);
let infra;
try {
  infra = await ensureInfra({
    redisUrl: base.REDIS_URL,
    natsUrl: base.NATS_URL,
    dataDir,
    log: { info: (message) => process.stdout.write(`${message}\n`) },
  });
} catch (err) {
  process.stderr.write(`\n${(err as Error).message}\n\n`);
  process.exit(69); // EX_UNAVAILABLE
}

try {
  await runService({
    name: 'nursing',
    title: 'Home-nursing dispatch (all services)',
    envSchema: AllInOneEnvSchema,
    env: { ...process.env, REDIS_URL: infra.redisUrl, NATS_URL: infra.natsUrl },
    modules: (deps) => [createDispatchModule(deps), createGatewayModule(deps), createAlarmsModule(deps)],
    afterClose: () => infra.stop(),
    onListening: (url) => {
      const ws = url.replace(/^http/, 'ws');
      process.stdout.write(
        [
          '',
          `  Home-nursing dispatch is running at ${url}`,
          `    Console       ${url}/   (live map; dev sign-in buttons in development)`,
          `    Security desk ${url}/security`,
          `    REST API      ${url}/v1/...`,
          `    API docs      ${url}/docs`,
          `    WebSockets    ${ws}/ws/nurse | /ws/coordinator | /ws/security`,
          `    Health        ${url}/healthz  ${url}/readyz`,
          `    Dev token     npm run token -- --role coordinator --sub c1 --institution i1`,
          `    Demo fleet    npm run simulate -- --demo --base-url ${url}`,
          `  Redis ${infra.redisUrl}, NATS ${infra.natsUrl}${infra.started.length ? ` (started here: ${infra.started.join(', ')})` : ''}`,
          '  Ctrl-C stops everything.',
          '',
        ].join('\n'),
      );
    },
  });
} catch (err) {
  process.stderr.write(`failed to start: ${(err as Error).message}\n`);
  await infra.stop();
  process.exit(1);
}
