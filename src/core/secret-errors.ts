/** Config errors that would show a secret given in the wrong place. */
import { ConfigError } from './errors.js';
import { redactSecrets, secretsToMask } from './redact.js';

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
    // As values of their own: a short secret such as `secret` leaves `secretKey` in a list of option
    // names alone.
    const masked = redactSecrets(error.message, secretsToMask(secrets, 4), { whole: true });
    if (masked === error.message) throw error;
    throw new ConfigError(masked);
  }
}
