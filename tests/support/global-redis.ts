import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startPrivateRedis, type PrivateRedis } from '../../src/infra/private-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let redis: PrivateRedis | undefined;

/** Uses REDIS_URL when set; otherwise starts a private redis-server for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.REDIS_URL;
  if (configured) {
    project.provide('redisUrl', configured);
  } else {
    redis = await startPrivateRedis();
    project.provide('redisUrl', redis.url);
  }
  return async () => {
    await redis?.stop();
  };
}
