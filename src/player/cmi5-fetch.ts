import type { Clock } from '../shared/clock.ts';
import { sha256Hex } from '../shared/random.ts';
import type { PlayerRepository } from './repository.ts';

/** cmi5 §8.2.3 fetch error codes. */
export class FetchError extends Error {
  constructor(
    readonly code: 1 | 2 | 3,
    message: string,
  ) {
    super(message);
  }
}

/** The body the fetch URL answers with (§8.2.2 the token, §8.2.3 an error object). */
export type FetchAnswer = { 'auth-token': string } | { 'error-code': string; 'error-text': string };

/** cmi5 §8.2: the fetch URL of a launch answers once with the auth token; later calls get error code 1. */
export function createCmi5Fetch(deps: { repo: PlayerRepository; clock: Clock }) {
  const { repo, clock } = deps;

  async function fetchAuthToken(fetchToken: string): Promise<string> {
    const hash = sha256Hex(fetchToken);
    const launch = await repo.consumeFetchToken(hash, clock.now());
    if (!launch) {
      const known = await repo.findLaunchByFetchTokenHash(hash);
      if (known) throw new FetchError(1, 'The fetch URL has already been used.');
      throw new FetchError(2, 'Unknown fetch URL.');
    }
    if (launch.state !== 'open' || launch.expiresAt <= clock.now() || !launch.authorization) throw new FetchError(2, 'The session is no longer open.');
    return launch.authorization.replace(/^Basic\s+/i, '');
  }

  return {
    fetchAuthToken,
    /**
     * The answer as the AU reads it. §8.2.3: errors are answered with status 200 and an error object
     * (the LMS test suite checks this), so every failure, ours too (code 3), becomes such an object.
     */
    async fetchAnswer(fetchToken: string): Promise<FetchAnswer> {
      try {
        return { 'auth-token': await fetchAuthToken(fetchToken) };
      } catch (err) {
        if (err instanceof FetchError) return { 'error-code': String(err.code), 'error-text': err.message };
        return { 'error-code': '3', 'error-text': 'General application error' };
      }
    },
  };
}
export type Cmi5Fetch = ReturnType<typeof createCmi5Fetch>;
