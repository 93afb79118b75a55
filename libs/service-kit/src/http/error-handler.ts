import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, ValidationError, toAppError, type ErrorCode } from '@nursing/contracts';

const FRAMEWORK_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * The one error boundary of HTTP: every failure leaves as
 * `{ error: { code, message, details? } }`. Redis or NATS briefly unreachable is a 503
 * with Retry-After; other unknown errors are logged with their stack and answered with a
 * bland 500, so internals never leak.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) request.log.error({ err }, 'request failed');
      return reply.status(err.status).send(err.toBody());
    }
    const status = err.statusCode ?? 500;
    const code = FRAMEWORK_CODES[status];
    if (status < 500 && code) {
      // Fastify's own refusals (bad JSON, wrong content type, body too large) carry safe messages.
      const mapped = code === 'VALIDATION_FAILED' ? new ValidationError(err.message) : new AppError(code, err.message);
      return reply.status(status).send(mapped.toBody());
    }
    const appError = toAppError(err);
    if (appError.code === 'UNAVAILABLE') {
      // A failover or reconnect, not a bug: the client (or the entry point) sends it again.
      request.log.warn({ err }, 'backing service unavailable');
      return reply.status(503).header('retry-after', '1').send(appError.toBody());
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(appError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(new AppError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`).toBody());
  });
}
