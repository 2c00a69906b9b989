/**
 * The sandbox's own check of ThreatConnect HMAC signatures (rest-api-v2.md 2.1).
 *
 * Written apart from the SDK's signer on purpose: the sandbox is the oracle the SDK is tested against,
 * so a mistake in one must not be copied into the other.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Computes the expected base64 signature over the raw request target as received. */
export function expectedSignature(
  secretKey: string,
  rawTarget: string,
  method: string,
  timestamp: string,
): string {
  const mac = createHmac('sha256', Buffer.from(secretKey, 'utf8'));
  mac.update(Buffer.from(`${rawTarget}:${method.toUpperCase()}:${timestamp}`, 'utf8'));
  return mac.digest('base64');
}

/** Compares two signatures in constant time (for equal lengths; a length mismatch is a plain mismatch). */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  if (a.length !== b.length) {
    // Still spend a comparison so that the time taken does not depend on where the strings differ.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Splits `TC <accessId>:<signature>`; the access id may itself contain no colon, the signature never does. */
export function parseHmacAuthorization(header: string): { accessId: string; signature: string } | null {
  if (!header.startsWith('TC ')) return null;
  const rest = header.slice(3);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return null;
  return { accessId: rest.slice(0, colon), signature: rest.slice(colon + 1) };
}
