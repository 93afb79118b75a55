import { parseArgs } from 'node:util';
import { CommonEnvSchema, loadConfig } from '@nursing/config';
import { ROLES, type Role } from '@nursing/contracts';
import { createTokenSigner } from '../tokens.ts';
import { resolveJwtSecret } from '../jwt-secret.ts';

// `npm run token -- --role coordinator --sub c1 --institution i1` prints a development token.
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    institution: { type: 'string' },
    ttl: { type: 'string', default: String(12 * 3600) },
  },
});

const role = values.role as Role | undefined;
if (!role || !ROLES.includes(role) || !values.sub) {
  process.stderr.write(`usage: npm run token -- --role <${ROLES.join('|')}> --sub <id> [--institution <id>] [--ttl <seconds>]\n`);
  process.exit(2);
}
if ((role === 'nurse' || role === 'coordinator') && !values.institution) {
  process.stderr.write(`a ${role} token needs --institution\n`);
  process.exit(2);
}
const config = loadConfig(CommonEnvSchema);
const { secret } = resolveJwtSecret(config);
const sign = createTokenSigner(secret, Number(values.ttl));
process.stdout.write(`${sign({ sub: values.sub, role, ...(values.institution ? { institution: values.institution } : {}) })}\n`);
