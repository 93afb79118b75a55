import Type from 'typebox';
import { DEFAULT_NAMESPACE, NAMESPACE_PATTERN } from '@nursing/contracts';

/** Settings every service reads. Services extend this object with their own. */
export const CommonEnv = {
  NODE_ENV: Type.Enum(['development', 'test', 'production'], { default: 'development' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'interface to listen on' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  NATS_URL: Type.String({ pattern: '^(nats|tls)://', default: 'nats://127.0.0.1:4222', description: 'comma-separated for a cluster' }),
  NATS_STREAM_REPLICAS: Type.Integer({ minimum: 1, maximum: 5, default: 1, description: 'replicas of each JetStream stream a service creates (3 on a 3-node cluster)' }),
  NAMESPACE: Type.String({ pattern: NAMESPACE_PATTERN.source, default: DEFAULT_NAMESPACE }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32, description: 'HS256 secret; required in production' })),
  DATA_DIR: Type.String({ default: '.data', description: 'local files in development (generated dev secret)' }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10_000 }),
};

export const CommonEnvSchema = Type.Object(CommonEnv);
export type CommonConfig = Type.Static<typeof CommonEnvSchema>;
