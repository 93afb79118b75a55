import { runService } from '@nursing/service-kit';
import { GatewayEnvSchema } from './env.ts';
import { createGatewayModule } from './module.ts';

await runService({
  name: 'gateway',
  title: 'Home-nursing gateway',
  envSchema: GatewayEnvSchema,
  modules: (deps) => [createGatewayModule(deps)],
});
