import type { Histogram } from 'prom-client';
import type { MentionStore } from '../store/mention-store.js';

/** The instruments {@link withHandlingTimes} feeds (see src/infra/metrics.ts). */
export interface HandlingTimeMetrics {
  timeToClaimSeconds: Histogram<'channel'>;
  timeToResolveSeconds: Histogram<'channel'>;
}

/**
 * The store with the team's handling times observed: seconds from a mention's arrival
 * (when triage recorded it, as the SLA counts) to its first claim, and to each resolve,
 * by the channel it was routed to. Only a change that took effect is counted; a claim or
 * resolve costs one more read of the state (a click slowed by it is acknowledged first, as
 * any slow click is), and a failed read never fails the change.
 */
export function withHandlingTimes<S extends Pick<MentionStore, 'transition' | 'get'>>(store: S, metrics: HandlingTimeMetrics, now: () => Date = () => new Date()): S {
  return {
    ...store,
    async transition(key, action, actor, at, options) {
      const outcome = await store.transition(key, action, actor, at, options);
      if (!outcome.ok || (outcome.status !== 'claimed' && outcome.status !== 'resolved')) return outcome;
      try {
        const state = await store.get(key);
        const arrived = Date.parse(state?.triagedAt ?? '');
        if (state && Number.isFinite(arrived)) {
          const seconds = Math.max(0, (now().getTime() - arrived) / 1000);
          const channel = state.triage.route.channel;
          // The first claim: the state's first change (`rev` 1); a claim after a release is not time to claim.
          if (outcome.status === 'claimed' && state.rev === 1) metrics.timeToClaimSeconds.observe({ channel }, seconds);
          if (outcome.status === 'resolved') metrics.timeToResolveSeconds.observe({ channel }, seconds);
        }
      } catch {
        // Times are a metric: the change itself stands.
      }
      return outcome;
    },
  };
}
