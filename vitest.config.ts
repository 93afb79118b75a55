import { defineConfig } from 'vitest/config';

// Integration tests talk to the real Redis and NATS (see libs/testing); each suite
// works in its own namespace there, so files may run in parallel.
export default defineConfig({
  test: {
    include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'infra/**/*.test.ts', 'bench/test/**/*.test.ts', 'loadtests/**/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
