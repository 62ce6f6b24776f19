/**
 * Opening the service's Redis from `REDIS_URL`, which names one of two things:
 *
 * - one Redis: `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS;
 * - a Redis Cluster: `redis+cluster://[user:password@]host:port[,host:port…]`, or
 *   `rediss+cluster://…` for TLS. One node is enough to find the others; list more so
 *   that start-up does not depend on one. A cluster has no databases but 0, so the URL
 *   has no `/db` part. Every key of the service must then hash to one slot: see
 *   {@link checkClusterPrefix}.
 */
import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * No usable Redis answered where the configuration says one is: nothing answered, or
 * what answered is a cluster node where one Redis was named (or the reverse). The
 * message names the URL (never its password) and what to change.
 */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/** The parts of a `redis+cluster://` URL. */
export interface ClusterUrl {
  /** The nodes to start from; the cluster tells the client about the others. */
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  /** `rediss+cluster://`: every node is reached over TLS. */
  tls: boolean;
}

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/?#]*)@)?([^@/?#]+?)\/?$/;

/** Whether the URL names a Redis Cluster (`redis+cluster://` or `rediss+cluster://`). */
export function isClusterUrl(url: string): boolean {
  return /^rediss?\+cluster:\/\//.test(url);
}

function decoded(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TypeError(`REDIS_URL: the ${what} is not valid percent-encoding`);
  }
}

function parseNode(node: string): { host: string; port: number } {
  const parsed = URL.canParse(`redis://${node}`) ? new URL(`redis://${node}`) : undefined;
  if (!parsed || !parsed.hostname || parsed.username || parsed.password || (parsed.pathname !== '' && parsed.pathname !== '/')) {
    throw new TypeError(`REDIS_URL: "${node}" is not a cluster node (expected host:port, e.g. 10.0.0.5:6379)`);
  }
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port: parsed.port ? Number(parsed.port) : 6379 };
}

/**
 * Reads a `redis+cluster://` URL.
 * @throws TypeError naming what is wrong (never the password)
 */
export function parseClusterUrl(url: string): ClusterUrl {
  const match = CLUSTER_URL.exec(url);
  if (!match) {
    throw new TypeError('REDIS_URL: not a cluster URL (expected redis+cluster://[user:password@]host:port[,host:port...], no database number)');
  }
  const [, scheme, userinfo, hosts = ''] = match;
  const nodes = hosts.split(',').map((node) => parseNode(node.trim()));
  const result: ClusterUrl = { nodes, tls: scheme === 'rediss' };
  if (userinfo) {
    const colon = userinfo.indexOf(':');
    const username = decoded(colon < 0 ? userinfo : userinfo.slice(0, colon), 'user name');
    const password = colon < 0 ? '' : decoded(userinfo.slice(colon + 1), 'password');
    if (username) result.username = username;
    if (password) result.password = password;
  }
  return result;
}

/** The URL as it may be shown: the password, if any, replaced. */
export function shownRedisUrl(url: string): string {
  if (isClusterUrl(url)) {
    const match = CLUSTER_URL.exec(url);
    if (!match) return '(unparsable REDIS_URL)';
    const [, scheme, userinfo, hosts] = match;
    const colon = userinfo?.indexOf(':') ?? -1;
    const shownUser = userinfo === undefined ? '' : colon < 0 || colon === userinfo.length - 1 ? `${userinfo}@` : `${userinfo.slice(0, colon)}:***@`;
    return `${scheme}+cluster://${shownUser}${hosts}`;
  }
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/**
 * Why a key prefix cannot be used on a Redis Cluster, or undefined when it can. BullMQ's
 * scripts and the mention store's each touch several keys at once, which a cluster
 * allows only when they hash to one slot; every key starts with the prefix, so a hash
 * tag in it (`{mt}`: Redis hashes only what is between the first `{` and the next `}`,
 * when that is not empty) puts all of them in one slot. The whole deployment then lives
 * on one primary: a cluster gives it failover, not spread.
 */
export function checkClusterPrefix(prefix: string): string | undefined {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  if (close > open + 1) return undefined;
  return `MENTION_TRIAGE_PREFIX "${prefix}" has no hash tag, which a Redis Cluster needs (all of a queue's keys must hash to one slot): wrap it in braces, e.g. MENTION_TRIAGE_PREFIX={${prefix.replace(/[{}]/g, '') || 'mt'}}`;
}

function failureReason(error: Error): string {
  // ioredis reports a failed slot refresh with the reason on the last node tried.
  const last = (error as Error & { lastNodeError?: Error }).lastNodeError;
  return last ? `${error.message} ${last.message}` : error.message;
}

async function connectCluster(url: string, options: RedisOptions): Promise<Cluster> {
  const { nodes, username, password, tls } = parseClusterUrl(url);
  const redisOptions: RedisOptions = {
    connectTimeout: 3000,
    ...options,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls ? { tls: options.tls ?? {} } : {}),
  };
  const clusterOptions: ClusterOptions = { lazyConnect: true, redisOptions };
  const cluster = new Cluster(nodes satisfies ClusterNode[], clusterOptions);
  let firstError: Error | undefined;
  let nodeError: Error | undefined;
  const onError = (error: Error) => (firstError ??= error);
  // A refused connection shows only here; the cluster's own error says "Connection is closed".
  const onNodeError = (error: Error) => (nodeError ??= error);
  cluster.on('error', onError);
  cluster.on('node error', onNodeError);
  const retry = cluster.options.clusterRetryStrategy;
  cluster.options.clusterRetryStrategy = () => null;
  try {
    await cluster.connect();
  } catch (error) {
    cluster.disconnect();
    const reason = nodeError?.message ?? failureReason(firstError ?? (error as Error));
    const single = /cluster support disabled/i.test(reason) ? `: that is one Redis, not a cluster; name it as redis://${nodes[0]?.host}:${nodes[0]?.port}` : ': start it, or set REDIS_URL to the service\'s Redis';
    throw new RedisUnreachableError(`no Redis Cluster answered at ${shownRedisUrl(url)} (${reason})${single}`);
  } finally {
    cluster.off('error', onError);
    cluster.off('node error', onNodeError);
  }
  cluster.options.clusterRetryStrategy = retry;
  return cluster;
}

async function isClusterNode(redis: Redis): Promise<boolean> {
  // Some hosted Redis refuse INFO; then the first command will tell.
  const info = await redis.info('cluster').catch(() => '');
  return /^cluster_enabled:1\b/m.test(info);
}

/**
 * Opens a connection and waits for it to be ready, or fails at once with a
 * {@link RedisUnreachableError} naming the URL, instead of retrying forever. Once
 * connected, `options` decide how a later drop is retried (on a cluster they apply to
 * each node's connection, and the cluster's own default reconnects as a whole).
 *
 * For a `redis+cluster://` URL the value is an ioredis `Cluster`, typed as `Redis`: the
 * commands the service sends (scripts, hashes, lists, sorted sets, MULTI, MGET) are the
 * same and reach the node that holds their keys, provided every key shares the prefix's
 * hash tag. Commands without keys go to one node only: SCAN and KEYS see only the keys
 * of that node, INFO and FLUSHDB describe or empty only that node, and `options` is a
 * cluster's. `isCluster` tells them apart. With `keyPrefix`, a cluster URL is refused
 * (the same error, one line) when the prefix has no hash tag (see {@link checkClusterPrefix}).
 */
export async function connectRedis(url: string, options: RedisOptions = {}, keyPrefix?: string): Promise<Redis> {
  // Both are ioredis `Commander`s with the same commands; callers type against one.
  if (isClusterUrl(url)) {
    // Refused before connecting: without a hash tag the first multi-key script fails with CROSSSLOT.
    const problem = keyPrefix === undefined ? undefined : checkClusterPrefix(keyPrefix);
    if (problem) throw new RedisUnreachableError(problem);
    return (await connectCluster(url, options)) as unknown as Redis;
  }
  const redis = new Redis(url, { connectTimeout: 3000, ...options, lazyConnect: true });
  let firstError: Error | undefined;
  const onError = (error: Error) => (firstError ??= error);
  redis.on('error', onError);
  const retry = redis.options.retryStrategy;
  redis.options.retryStrategy = () => null;
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = (firstError ?? (error as Error)).message;
    throw new RedisUnreachableError(`no Redis answered at ${shownRedisUrl(url)} (${reason}): start one there, or set REDIS_URL to the service's Redis`);
  } finally {
    redis.off('error', onError);
  }
  if (await isClusterNode(redis)) {
    redis.disconnect();
    const shown = new URL(shownRedisUrl(url));
    throw new RedisUnreachableError(`${shownRedisUrl(url)} is a node of a Redis Cluster, which needs a cluster connection: set REDIS_URL=${shown.protocol.replace(':', '')}+cluster://${shown.host} (and a prefix with a hash tag, e.g. MENTION_TRIAGE_PREFIX={mt})`);
  }
  redis.options.retryStrategy = retry;
  return redis;
}
