import { Compile } from 'typebox/compile';
import type { Static, TSchema } from 'typebox';
import { ValidationError, type FieldProblem } from './errors/app-errors.ts';

/** A compiled schema: the same JSON Schema that documents HTTP also checks NATS and WebSocket payloads. */
export interface Validator<T> {
  check(value: unknown): value is T;
  /** Returns the value typed, or throws ValidationError naming every problem. */
  parse(value: unknown, what?: string): T;
  /** Coerces strings to the schema's numbers and booleans (query strings, path params). */
  convert(value: unknown): unknown;
  /** Parses JSON text or bytes, then checks it. */
  parseJson(raw: string | Uint8Array, what?: string): T;
}

const MAX_PROBLEMS = 10;
const decoder = new TextDecoder();

/** Compiles a schema once; validators are meant to be module-level constants. */
export function compileSchema<S extends TSchema>(schema: S): Validator<Static<S>> {
  const compiled = Compile(schema);
  const problemsOf = (value: unknown): FieldProblem[] =>
    compiled
      .Errors(value)
      // 'schema is false' repeats the additionalProperties problem with less to say.
      .filter((e) => e.keyword !== 'boolean')
      .slice(0, MAX_PROBLEMS)
      .map((e) => ({ path: e.instancePath || '/', message: describe(e) }));

  const validator: Validator<Static<S>> = {
    check: (value): value is Static<S> => compiled.Check(value),
    parse(value, what = 'payload') {
      if (compiled.Check(value)) return value as Static<S>;
      const problems = problemsOf(value);
      const first = problems[0];
      throw new ValidationError(
        first ? `invalid ${what}: ${first.path} ${first.message}` : `invalid ${what}`,
        problems,
      );
    },
    convert: (value) => compiled.Convert(value),
    parseJson(raw, what = 'payload') {
      let value: unknown;
      try {
        value = JSON.parse(typeof raw === 'string' ? raw : decoder.decode(raw));
      } catch {
        throw new ValidationError(`invalid ${what}: not valid JSON`);
      }
      return validator.parse(value, what);
    },
  };
  return validator;
}

function describe(e: { keyword: string; message: string; params: unknown }): string {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties' && Array.isArray(params['additionalProperties'])) {
    return `has unknown field(s): ${(params['additionalProperties'] as string[]).join(', ')}`;
  }
  if (e.keyword === 'required' && Array.isArray(params['requiredProperties'])) {
    return `is missing required field(s): ${(params['requiredProperties'] as string[]).join(', ')}`;
  }
  if (e.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    return `must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}`;
  }
  return e.message;
}
