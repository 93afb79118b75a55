import envSchema from 'env-schema';
import type { Static, TObject } from 'typebox';

/** Raised once at start when the environment is wrong; the message names every bad variable. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

interface AjvProblem {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * Validates the environment against a schema (coercing strings to numbers and
 * booleans, filling defaults) and returns a frozen, typed config.
 */
export function loadConfig<S extends TObject>(schema: S, env: Record<string, string | undefined> = process.env): Readonly<Static<S>> {
  // Empty strings mean "unset" to people writing .env files; treat them so.
  const data = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  try {
    return Object.freeze(envSchema<Static<S>>({ schema, data, dotenv: false }));
  } catch (err) {
    const problems = (err as { errors?: AjvProblem[] }).errors;
    if (!problems) throw err;
    throw new ConfigError(problems.map((p) => describe(p, data)));
  }
}

function describe(p: AjvProblem, data: Record<string, unknown>): string {
  if (p.keyword === 'required') return `${String(p.params['missingProperty'])} is required`;
  const name = p.instancePath.replace(/^\//, '');
  const got = data[name];
  const allowed = p.params['allowedValues'];
  const why = Array.isArray(allowed) ? `must be one of ${allowed.join(', ')}` : (p.message ?? 'is invalid');
  return `${name} ${why} (got ${JSON.stringify(got)})`;
}
