import { runService } from '@nursing/service-kit';
import { AlarmsEnvSchema } from './env.ts';
import { createAlarmsModule } from './module.ts';

await runService({
  name: 'alarms',
  title: 'Home-nursing alarms',
  envSchema: AlarmsEnvSchema,
  modules: (deps) => [createAlarmsModule(deps)],
});
