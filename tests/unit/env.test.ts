import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from '../../src/config/env.js';

describe('readEnv', () => {
  it('uses the defaults when nothing is set', () => {
    expect(readEnv({})).toEqual({
      discordApiUrl: 'https://discord.com/api',
      logLevel: 'info',
      configDir: 'config',
      queuePrefix: 'mt',
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
    });
    expect(env).toEqual({
      discordToken: 'abc.def.ghi',
      discordApplicationId: '123456789012345678',
      discordApiUrl: 'http://127.0.0.1:4000/api',
      redisUrl: 'redis://127.0.0.1:6390/2',
      logLevel: 'debug',
      configDir: '/etc/mention-triage',
      queuePrefix: '{mt}',
    });
  });

  it('treats empty variables as unset', () => {
    expect(readEnv({ DISCORD_TOKEN: '', LOG_LEVEL: '', REDIS_URL: '' })).toEqual(readEnv({}));
  });

  it('ignores variables it does not know', () => {
    expect(readEnv({ PATH: '/usr/bin', HOME: '/root' })).toEqual(readEnv({}));
  });

  it('names each bad variable and what it expects', () => {
    const read = () => readEnv({ LOG_LEVEL: 'loud', REDIS_URL: 'http://example.com', MENTION_TRIAGE_PREFIX: 'a b' });
    expect(read).toThrow(EnvError);
    expect(read).toThrow(/^invalid environment:\nREDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL\nLOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent\nMENTION_TRIAGE_PREFIX: /);
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
