import { createDispatchModule } from '@nursing/dispatch';
import { createGatewayModule } from '@nursing/gateway';
import { createAlarmsModule } from '@nursing/alarms';
import type { Logger } from '@nursing/logging';
import { startTestService } from '@nursing/testing';
import { AllInOneEnvSchema } from '../local/all-in-one-env.ts';

/** All three services in one app on a real port, as `npm start` composes them, in a fresh namespace. */
export function startSystemApp(env: Record<string, string> = {}, log?: Logger) {
  return startTestService({
    envSchema: AllInOneEnvSchema,
    env,
    ...(log ? { log } : {}),
    listen: true,
    modules: (deps) => [createDispatchModule(deps), createGatewayModule(deps), createAlarmsModule(deps)],
  });
}

export type SystemApp = Awaited<ReturnType<typeof startSystemApp>>;
