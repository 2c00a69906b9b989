/**
 * A token bucket on the injectable clock: `ratePerSecond` tokens a second, holding at most one
 * second's worth (at least one), so a burst after a pause is bounded. `take()` waits with
 * `clock.sleep`, so a test's clock decides how time passes.
 */
import type { ResolvedClock } from '../core/clock.js';

/**
 * The longest single wait: Node's timers hold at most 2^31 - 1 ms, and a longer one fires after 1 ms
 * with a warning, which made a very low rate spin (and warn) a thousand times a second.
 */
const MAX_WAIT_MS = 2_147_483_647;

export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  readonly #clock: ResolvedClock;
  #tokens: number;
  #last: number;

  constructor(ratePerSecond: number, clock: ResolvedClock) {
    this.#rate = ratePerSecond;
    this.#capacity = Math.max(1, ratePerSecond);
    this.#clock = clock;
    this.#tokens = this.#capacity;
    this.#last = clock.now();
  }

  #refill(): void {
    const now = this.#clock.now();
    if (now > this.#last) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#last) * this.#rate) / 1000);
    }
    this.#last = now;
  }

  /** Takes one token, waiting until there is one. */
  async take(signal?: AbortSignal): Promise<void> {
    this.#refill();
    while (this.#tokens < 1) {
      await this.#clock.sleep(
        Math.min(MAX_WAIT_MS, Math.ceil(((1 - this.#tokens) * 1000) / this.#rate)),
        signal,
      );
      this.#refill();
    }
    this.#tokens -= 1;
  }
}
