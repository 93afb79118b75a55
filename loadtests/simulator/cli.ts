import { helpText, parseOptions } from './options.ts';
import { runSimulation } from './run-simulation.ts';

// `npm run simulate -- --demo` (see --help): drives a running system with a simulated city.
let parsed;
try {
  parsed = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${helpText()}\n`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(`${helpText()}\n`);
  process.exit(0);
}

const options = parsed.options;
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
process.once('SIGTERM', () => abort.abort());
process.stdout.write(
  `simulating ${options.nurses} nurses, ${options.ordersPerMinute} orders/min against ${options.baseUrl}, time x${options.timeScale}, ${options.durationS > 0 ? `${options.durationS} s` : 'until Ctrl-C'}\n`,
);
try {
  const result = await runSimulation(options, { print: (line) => process.stdout.write(`${line}\n`), signal: abort.signal });
  process.exit(result.ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`simulation failed: ${(err as Error).message}\n`);
  process.exit(1);
}
