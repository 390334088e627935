/**
 * A tiny router: method + path pattern → handler, with `:name` parameters.
 * It knows nothing of HTTP beyond method names; app.ts does the rest.
 *
 * `find` answers one of three things: a match (handler and parameters), "the
 * path exists but not for this method" (with the allowed methods, for a 405
 * and its Allow header), or nothing (404).
 */

export type Params = Readonly<Record<string, string>>;

const NO_PARAMS: Params = Object.freeze({});

interface Route<H> {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: H;
}

export type Match<H> =
  | { readonly kind: 'found'; readonly handler: H; readonly params: Params }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

export class Router<H> {
  readonly #routes: Route<H>[] = [];
  /** Routes without parameters, by method and then path, with their answer made once: two Map lookups find most requests. */
  readonly #exact = new Map<string, Map<string, Match<H>>>();

  /** Adds a route. `path` is literal except for `:name` segments, which match one segment. */
  add(method: string, path: string, handler: H): this {
    if (!path.startsWith('/')) throw new TypeError(`route path must start with "/": ${path}`);
    const names: string[] = [];
    const source = path
      .split('/')
      .map((part) => {
        if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part.slice(1));
        return '([^/]+)';
      })
      .join('/');
    const upper = method.toUpperCase();
    this.#routes.push({ method: upper, pattern: new RegExp(`^${source}$`), names, handler });
    if (names.length === 0) {
      const paths = this.#exact.get(upper) ?? new Map<string, Match<H>>();
      this.#exact.set(upper, paths);
      if (!paths.has(path)) paths.set(path, { kind: 'found', handler, params: NO_PARAMS }); // the first route added wins, as in find's loop
    }
    return this;
  }

  /**
   * Finds the route for `method` and `path`. As in Flask, a GET route also
   * answers HEAD; OPTIONS is answered by the HTTP layer from `allowed`.
   */
  find(method: string, path: string): Match<H> {
    const exact = this.#exact.get(method)?.get(path) ?? (method === 'HEAD' ? this.#exact.get('GET')?.get(path) : undefined);
    if (exact !== undefined) return exact;
    const allowed = new Set<string>();
    for (const route of this.#routes) {
      const match = route.pattern.exec(path);
      if (match === null) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        const params: Record<string, string> = {};
        route.names.forEach((name, index) => {
          params[name] = decodeParam(match[index + 1] ?? '');
        });
        return { kind: 'found', handler: route.handler, params };
      }
      allowed.add(route.method);
      if (route.method === 'GET') allowed.add('HEAD');
    }
    if (allowed.size === 0) return { kind: 'not-found' };
    allowed.add('OPTIONS');
    return { kind: 'method-not-allowed', allowed: [...allowed].sort() };
  }
}

function decodeParam(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
