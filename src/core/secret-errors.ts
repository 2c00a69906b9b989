/** Config errors that would show a secret given in the wrong place. */
import { ConfigError } from './errors.js';
import { REDACTED } from './redact.js';

/**
 * Runs `check`, and rethrows a ConfigError whose message holds one of `secrets` with it masked: a
 * value refused elsewhere may be the secret (`new ThreatConnect(id, url, org, key)` with two
 * arguments swapped names the key as the bad `baseUrl`; `setApiRequestTimeout(secret)`).
 */
export function maskingSecrets<T>(secrets: readonly (string | undefined)[], check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Longest first: a shorter secret inside a longer one must not leave the rest shown.
    const known = secrets
      .filter((v): v is string => v !== undefined && v.length >= 4)
      .sort((a, b) => b.length - a.length);
    let masked = error.message;
    for (const secret of known) {
      // As a value of its own, not inside a word: a secret `secret` leaves `secretKey` in a list of
      // option names alone.
      const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      masked = masked.replace(new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'g'), REDACTED);
    }
    if (masked === error.message) throw error;
    throw new ConfigError(masked);
  }
}
