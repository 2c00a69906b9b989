/**
 * The resource layer's way into a client. Not public API: the symbol is not exported from the package
 * entry. The client's resource containers build their {@link ResourceContext} from these pieces, and
 * tests use it to build a context for objects before any container exists.
 */
import type { Requester } from '../pipeline/requester.js';
import type { IndicatorRegexes } from './detect.js';

/** `tc[CLIENT_INTERNALS]()`: the client's requester and indicator patterns. @internal */
export const CLIENT_INTERNALS: unique symbol = Symbol('threatconnect.clientInternals');

/** What `tc[CLIENT_INTERNALS]()` returns. @internal */
export interface ClientInternals {
  readonly requester: Requester;
  readonly detector: IndicatorRegexes;
}
