import { describe, expect, it } from 'vitest';
import Type from 'typebox';
import { CommonEnv, ConfigError, loadConfig } from '../src/index.ts';

const Schema = Type.Object({ ...CommonEnv, OFFER_TTL_MS: Type.Integer({ minimum: 1000, default: 30_000 }) });

describe('loadConfig', () => {
  it('fills defaults and coerces numbers', () => {
    const config = loadConfig(Schema, { PORT: '9000' });
    expect(config.PORT).toBe(9000);
    expect(config.OFFER_TTL_MS).toBe(30_000);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.NAMESPACE).toBe('hn');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable and what it got', () => {
    const err = (() => {
      try {
        loadConfig(Schema, { PORT: 'eighty', LOG_LEVEL: 'loud', REDIS_URL: 'localhost:6379' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toContain('PORT must be integer (got "eighty")');
    expect(message).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(message).toMatch(/REDIS_URL must match pattern .* \(got "localhost:6379"\)/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(Schema, { PORT: '' }).PORT).toBe(8080);
  });

  it('rejects a namespace that would break keys and subjects', () => {
    expect(() => loadConfig(Schema, { NAMESPACE: 'Bad.Name' })).toThrow(/NAMESPACE must match pattern/);
  });
});
