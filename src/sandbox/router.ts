/**
 * A tiny method + pattern router over decoded path segments.
 *
 * Patterns are split on `/`; a segment `:name` captures one decoded segment and a final `*name` captures
 * the rest (possibly empty). Routes are tried in registration order, so specific ones go first.
 */
export interface RouteMatch<H> {
  handler: H;
  params: Record<string, string>;
  rest: string[];
}

interface Route<H> {
  method: string;
  parts: string[];
  handler: H;
}

export class Router<H> {
  readonly #routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.#routes.push({ method, parts: pattern.split('/').filter((p) => p !== ''), handler });
    return this;
  }

  match(method: string, segments: readonly string[]): RouteMatch<H> | null {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      let rest: string[] = [];
      let ok = true;
      let i = 0;
      for (; i < route.parts.length; i += 1) {
        const part = route.parts[i] as string;
        if (part.startsWith('*')) {
          rest = segments.slice(i);
          i = segments.length;
          break;
        }
        const segment = segments[i];
        if (segment === undefined) {
          ok = false;
          break;
        }
        if (part.startsWith(':')) params[part.slice(1)] = segment;
        else if (part !== segment) {
          ok = false;
          break;
        }
      }
      if (ok && i === segments.length) return { handler: route.handler, params, rest };
    }
    return null;
  }
}
