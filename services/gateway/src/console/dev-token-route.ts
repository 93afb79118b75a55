import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ErrorReply, Id, Role, ValidationError } from '@nursing/contracts';
import { createTokenSigner, resolveJwtSecret, type SecretSettings } from '@nursing/auth';

const DevTokenBody = Type.Object({ role: Role, sub: Id, institution: Type.Optional(Id) }, { additionalProperties: false });
const DevTokenReply = Type.Object({ token: Type.String(), claims: Type.Object({ role: Role, sub: Id, institution: Type.Optional(Id) }) });

/**
 * `POST /v1/dev/token`: a bearer token for any role, subject and institution, signed
 * with the development secret, so the console's sign-in is one click. It hands out
 * admin rights to whoever asks, so it exists only outside production: the console
 * routes do not register it when NODE_ENV=production, and it refuses again here.
 */
export function devTokenRoute(settings: SecretSettings) {
  if (settings.NODE_ENV === 'production') throw new Error('the development sign-in must not exist in production');
  const sign = createTokenSigner(resolveJwtSecret(settings).secret);

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/v1/dev/token',
      {
        schema: {
          tags: ['development'],
          summary: 'Development only: a token for any role (absent when NODE_ENV=production)',
          body: DevTokenBody,
          response: { 201: DevTokenReply, 400: ErrorReply },
          security: [],
        },
      },
      async (req, reply) => {
        const body = req.body as Type.Static<typeof DevTokenBody>;
        if ((body.role === 'coordinator' || body.role === 'nurse') && !body.institution) {
          throw new ValidationError(`a ${body.role} token needs an institution`, [{ path: '/institution', message: 'required for this role' }]);
        }
        const claims = { role: body.role, sub: body.sub, ...(body.institution ? { institution: body.institution } : {}) };
        return reply.status(201).send({ token: sign(claims), claims });
      },
    );
  };
}
