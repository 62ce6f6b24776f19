/**
 * Follower counts for post authors. Post views carry none, so `app.bsky.actor.getProfiles`
 * is asked for every author of a page at once (25 actors a call), and the answers are
 * kept in a small in-process cache so a steady poll does not ask again.
 */
import type { AuthorProfile } from './bluesky-map.js';
import type { BlueskySession } from './bluesky-session.js';

/** getProfiles takes at most this many actors. */
export const PROFILES_PER_CALL = 25;

export interface ProfileCacheOptions {
  /** How long a follower count is reused. @defaultValue 1 hour */
  ttlMs?: number;
  /** Most profiles kept; the oldest go first. @defaultValue 5000 */
  maxEntries?: number;
}

export interface ProfileCache {
  /** Profiles of `dids` (cached or fetched); authors the AppView does not know are absent. */
  profilesOf(dids: Iterable<string>): Promise<Map<string, AuthorProfile>>;
}

/** Creates a cache that fetches through `session`. */
export function createProfileCache(session: BlueskySession, options: ProfileCacheOptions = {}): ProfileCache {
  const { ttlMs = 3_600_000, maxEntries = 5000 } = options;
  const cache = new Map<string, { profile: AuthorProfile; at: number }>();

  const remember = (did: string, profile: AuthorProfile) => {
    cache.delete(did);
    cache.set(did, { profile, at: Date.now() });
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  };

  return {
    async profilesOf(dids) {
      const found = new Map<string, AuthorProfile>();
      const missing: string[] = [];
      for (const did of new Set(dids)) {
        const hit = cache.get(did);
        if (hit && Date.now() - hit.at < ttlMs) found.set(did, hit.profile);
        else missing.push(did);
      }
      for (let i = 0; i < missing.length; i += PROFILES_PER_CALL) {
        const actors = missing.slice(i, i + PROFILES_PER_CALL);
        const { data } = await session.call('getProfiles', (agent) => agent.app.bsky.actor.getProfiles({ actors }));
        for (const p of data.profiles) {
          const profile: AuthorProfile = {
            handle: p.handle,
            ...(p.displayName ? { displayName: p.displayName } : {}),
            followers: p.followersCount ?? 0,
            ...(p.verification ? { verified: p.verification.verifiedStatus === 'valid' } : {}),
          };
          remember(p.did, profile);
          found.set(p.did, profile);
        }
      }
      return found;
    },
  };
}
