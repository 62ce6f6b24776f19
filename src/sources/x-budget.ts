/**
 * What X bills for reads, counted the way X counts it (pay-per-use, 2026): every post
 * returned is a post read (an owned read when it comes from the brand account's own
 * mentions timeline), every user object returned a user read, and a post or user already
 * returned earlier in the same UTC day is not billed again. Spend is kept per UTC month
 * in the source's kv so every process of the deployment shares one budget.
 */
import type { SourceKv } from './source.js';
import { SourceBudgetError } from './source-errors.js';
import { nextUtcMonth } from './x-client.js';

/** Prices per item read, in US dollars (the `prices` of the X entry in sources.yaml). */
export interface XPrices {
  postRead: number;
  userRead: number;
  ownedRead: number;
}

export interface XBudgetOptions {
  /** The source's name in sources.yaml, for messages. */
  sourceName: string;
  /** Spend allowed per UTC month, in US dollars. */
  monthlyBudgetUsd: number;
  prices: XPrices;
}

/** What one response returned, to be billed. */
export interface XReadItems {
  /** Ids of every post returned (`data` and `includes.tweets`). */
  postIds: string[];
  /** Ids of every user object returned (`includes.users`, a user lookup). */
  userIds: string[];
  /** The posts come from the brand account's own mentions timeline (owned-read price). */
  owned?: boolean;
}

/** What a response cost. */
export interface XBill {
  usd: number;
  /** Posts billed (not already billed today). */
  posts: number;
  users: number;
}

export interface XBudget {
  /** @throws SourceBudgetError when this month's spend has reached the budget */
  assertWithin(kv: SourceKv, now: Date): Promise<void>;
  /** Records what a response returned and returns what of it X bills. */
  bill(kv: SourceKv, now: Date, items: XReadItems): Promise<XBill>;
  /** This month's figures for the health report. */
  describe(kv: SourceKv, now: Date): Promise<Record<string, number | string>>;
}

// Money is counted in millionths of a dollar so that sums of $0.005 stay exact.
const MICRO = 1_000_000;
const MONTH_TTL = 62 * 86_400;
const DAY_TTL = 2 * 86_400;

const monthOf = (now: Date) => now.toISOString().slice(0, 7);
const dayOf = (now: Date) => now.toISOString().slice(0, 10);
const usd = (micro: number) => Math.round(micro) / MICRO;
const money = (value: number) => `$${value.toFixed(2)}`;

/** Counts X reads against `monthlyBudgetUsd`. */
export function createXBudget(options: XBudgetOptions): XBudget {
  const { prices, monthlyBudgetUsd, sourceName } = options;
  const micro = {
    post: Math.round(prices.postRead * MICRO),
    owned: Math.round(prices.ownedRead * MICRO),
    user: Math.round(prices.userRead * MICRO),
  };
  const keys = (now: Date) => {
    const month = monthOf(now);
    return {
      spend: `spend-micro-usd:${month}`,
      posts: `post-reads:${month}`,
      owned: `owned-reads:${month}`,
      users: `user-reads:${month}`,
      postsToday: `posts-billed:${dayOf(now)}`,
      usersToday: `users-billed:${dayOf(now)}`,
    };
  };
  const count = async (kv: SourceKv, name: string) => Number((await kv.get(name)) ?? 0);

  return {
    async assertWithin(kv, now) {
      const k = keys(now);
      const spent = usd(await count(kv, k.spend));
      if (spent < monthlyBudgetUsd) return;
      const resumeAt = nextUtcMonth(now);
      const [posts, owned, users] = await Promise.all([count(kv, k.posts), count(kv, k.owned), count(kv, k.users)]);
      throw new SourceBudgetError(
        `X read budget reached for source "${sourceName}": ${money(spent)} spent of ${money(monthlyBudgetUsd)} allowed in ${monthOf(now)} (UTC) ` +
          `(${posts} post reads, ${owned} owned reads, ${users} user reads). Reads resume on ${resumeAt.toISOString()}; ` +
          `to read more this month, raise monthlyBudgetUsd of source "${sourceName}" in sources.yaml.`,
        resumeAt,
      );
    },

    async bill(kv, now, items) {
      const k = keys(now);
      const postIds = [...new Set(items.postIds)];
      const userIds = [...new Set(items.userIds)];
      const posts = postIds.length ? await kv.addToSet(k.postsToday, postIds, DAY_TTL) : 0;
      const users = userIds.length ? await kv.addToSet(k.usersToday, userIds, DAY_TTL) : 0;
      const cost = posts * (items.owned ? micro.owned : micro.post) + users * micro.user;
      if (posts) await kv.incrBy(items.owned ? k.owned : k.posts, posts, MONTH_TTL);
      if (users) await kv.incrBy(k.users, users, MONTH_TTL);
      if (cost) await kv.incrBy(k.spend, cost, MONTH_TTL);
      return { usd: usd(cost), posts, users };
    },

    async describe(kv, now) {
      const k = keys(now);
      const [spent, posts, owned, users] = await Promise.all([count(kv, k.spend), count(kv, k.posts), count(kv, k.owned), count(kv, k.users)]);
      return {
        month: monthOf(now),
        spentUsdThisMonth: usd(spent),
        budgetUsd: monthlyBudgetUsd,
        postReadsThisMonth: posts,
        ownedReadsThisMonth: owned,
        userReadsThisMonth: users,
      };
    },
  };
}
