import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { compileSchema } from '@nursing/contracts';

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

/**
 * Validates requests with the same compiled schemas that check NATS and WebSocket
 * payloads, so a field is described the same way on every transport. Query strings
 * and path params are coerced (they arrive as text); bodies must be exact.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = compileSchema(schema);
  const part = PART_NAMES[httpPart ?? 'body'] ?? 'input';
  const coerce = httpPart !== 'body';
  return (data: unknown) => {
    try {
      return { value: validator.parse(coerce ? validator.convert(data) : data, part) };
    } catch (error) {
      return { error: error as Error };
    }
  };
};
