import { runService } from '@nursing/service-kit';
import { DispatchEnvSchema } from './env.ts';
import { createDispatchModule } from './module.ts';

await runService({
  name: 'dispatch',
  title: 'Home-nursing dispatch',
  envSchema: DispatchEnvSchema,
  modules: (deps) => [createDispatchModule(deps)],
});
