import { parseArgs } from 'node:util';
import { formatSummary } from './latency.ts';
import { assertLoopback } from './loopback.ts';
import type { Scenario, ScenarioSettings } from './scenario.ts';
import { orderCreation } from './scenarios/order-creation.ts';
import { nurseLocations } from './scenarios/nurse-locations.ts';
import { grabStorm } from './scenarios/grab-storm.ts';
import { alarmsUnderLoad } from './scenarios/alarms-under-load.ts';

// `npm run loadtest -- --scenario grab-storm`: the k6 scenarios, run from Node against a local system.
const SCENARIOS: Record<string, { run: Scenario; nurses: number; rate: number }> = {
  'order-creation': { run: orderCreation, nurses: 0, rate: 50 },
  'nurse-locations': { run: nurseLocations, nurses: 1000, rate: 0 },
  'grab-storm': { run: grabStorm, nurses: 200, rate: 2 },
  'alarms-under-load': { run: alarmsUnderLoad, nurses: 300, rate: 2 },
};
const USAGE = `usage: npm run loadtest -- --scenario <${Object.keys(SCENARIOS).join('|')}|all> [--base-url http://127.0.0.1:8080] [--duration 20] [--nurses N] [--rate R]
Only loopback targets are accepted. Every scenario stops by itself after --duration seconds (at most 600).`;

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    'base-url': { type: 'string', default: 'http://127.0.0.1:8080' },
    duration: { type: 'string', default: '20' },
    nurses: { type: 'string' },
    rate: { type: 'string' },
    help: { type: 'boolean' },
  },
});
const names = values.scenario === 'all' ? Object.keys(SCENARIOS) : [values.scenario ?? ''];
if (values.help || names.some((n) => !SCENARIOS[n])) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}
const baseUrl = values['base-url'];
const durationS = Math.min(Number(values.duration), 600);
try {
  assertLoopback(baseUrl);
  if (!(durationS > 0)) throw new Error('--duration must be a positive number of seconds');
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(2);
}

let errors = 0;
for (const name of names) {
  const scenario = SCENARIOS[name]!;
  const settings: ScenarioSettings = {
    baseUrl,
    durationS,
    nurses: values.nurses ? Number(values.nurses) : scenario.nurses,
    rate: values.rate ? Number(values.rate) : scenario.rate,
  };
  process.stdout.write(`\n== ${name}: ${settings.nurses} nurses, rate ${settings.rate}/s, ${durationS} s against ${baseUrl}\n`);
  try {
    const result = await scenario.run(settings);
    for (const s of result.summaries) process.stdout.write(`${formatSummary(s)}\n`);
    for (const note of result.notes) process.stdout.write(`  ${note}\n`);
    errors += result.errors;
  } catch (err) {
    process.stderr.write(`${name} failed: ${(err as Error).message}\n`);
    errors++;
  }
}
process.stdout.write(`\n${errors === 0 ? 'no errors' : `${errors} errors`}\n`);
process.exit(errors === 0 ? 0 : 1);
