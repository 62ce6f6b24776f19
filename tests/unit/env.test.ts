import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from '../../src/config/env.js';

describe('readEnv', () => {
  it('uses the defaults when nothing is set', () => {
    expect(readEnv({})).toEqual({
      discordApiUrl: 'https://discord.com/api',
      logLevel: 'info',
      configDir: 'config',
      queuePrefix: 'mt',
      metricsHost: '127.0.0.1',
      dashboardHost: '127.0.0.1',
      dashboardBasePath: '/',
    });
  });

  it('reads every variable it knows', () => {
    const env = readEnv({
      DISCORD_TOKEN: 'abc.def.ghi',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:4000/api/',
      REDIS_URL: 'redis://127.0.0.1:6390/2',
      LOG_LEVEL: 'debug',
      MENTION_TRIAGE_CONFIG: '/etc/mention-triage',
      MENTION_TRIAGE_PREFIX: '{mt}',
      METRICS_PORT: '9464',
      METRICS_HOST: '0.0.0.0',
      DASHBOARD_PORT: '9465',
      DASHBOARD_HOST: '::1',
      DASHBOARD_BASE_PATH: '/queues',
    });
    expect(env).toEqual({
      discordToken: 'abc.def.ghi',
      discordApplicationId: '123456789012345678',
      discordApiUrl: 'http://127.0.0.1:4000/api',
      redisUrl: 'redis://127.0.0.1:6390/2',
      logLevel: 'debug',
      configDir: '/etc/mention-triage',
      queuePrefix: '{mt}',
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      dashboardPort: 9465,
      dashboardHost: '::1',
      dashboardBasePath: '/queues',
    });
  });

  it('treats empty variables as unset', () => {
    expect(readEnv({ DISCORD_TOKEN: '', LOG_LEVEL: '', REDIS_URL: '', METRICS_PORT: '', METRICS_HOST: '' })).toEqual(readEnv({}));
  });

  it('ignores variables it does not know', () => {
    expect(readEnv({ PATH: '/usr/bin', HOME: '/root' })).toEqual(readEnv({}));
  });

  it('names each bad variable and what it expects', () => {
    const read = () => readEnv({ LOG_LEVEL: 'loud', REDIS_URL: 'http://example.com', MENTION_TRIAGE_PREFIX: 'a b' });
    expect(read).toThrow(EnvError);
    expect(read).toThrow(/^invalid environment:\nREDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL, or redis\+cluster:\/\/host:port,host:port for a Redis Cluster\nLOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent\nMENTION_TRIAGE_PREFIX: /);
  });

  it('takes a Redis Cluster URL of several nodes, with or without a password, and no database number', () => {
    expect(readEnv({ REDIS_URL: 'redis+cluster://10.0.0.5:7000,10.0.0.6:7000' }).redisUrl).toBe('redis+cluster://10.0.0.5:7000,10.0.0.6:7000');
    expect(readEnv({ REDIS_URL: 'rediss+cluster://ops:s3cret@cache.internal:6379' }).redisUrl).toBe('rediss+cluster://ops:s3cret@cache.internal:6379');
    expect(() => readEnv({ REDIS_URL: 'redis+cluster://10.0.0.5:7000/2' })).toThrow(/REDIS_URL: must be/);
  });

  it('starts no metrics server without METRICS_PORT and takes any port from 1 to 65535', () => {
    expect(readEnv({}).metricsPort).toBeUndefined();
    expect(readEnv({ METRICS_PORT: '1' }).metricsPort).toBe(1);
    expect(readEnv({ METRICS_PORT: '65535' }).metricsPort).toBe(65535);
  });

  it.each(['0', '65536', '99999', '-1', '94.64', 'abc', '9464 ', '123456'])('refuses METRICS_PORT=%j, saying what a port is', (value) => {
    expect(() => readEnv({ METRICS_PORT: value })).toThrow(/^invalid environment:\nMETRICS_PORT: must be a port number, 1–65535$/);
  });

  it('refuses a METRICS_HOST that is not a host name or address', () => {
    expect(() => readEnv({ METRICS_HOST: 'http://0.0.0.0/' })).toThrow(/^invalid environment:\nMETRICS_HOST: must be a host name or an IP address/);
    expect(readEnv({ METRICS_HOST: '::1' }).metricsHost).toBe('::1');
  });

  it('never echoes a secret value in its error', () => {
    const secret = 'redis://:hunter2-s3cret@ redis';
    let message = '';
    try {
      readEnv({ REDIS_URL: secret, DISCORD_TOKEN: 'token with spaces hunter2' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/REDIS_URL/);
    expect(message).toMatch(/DISCORD_TOKEN/);
    expect(message).not.toMatch(/hunter2/);
  });
});
