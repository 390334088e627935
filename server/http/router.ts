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
  /** Routes without parameters, by "METHOD path": one Map lookup finds most requests. */
  readonly #exact = new Map<string, H>();

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
    this.#routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}$`), names, handler });
    if (names.length === 0 && !this.#exact.has(`${method.toUpperCase()} ${path}`)) this.#exact.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  /**
   * Finds the route for `method` and `path`. As in Flask, a GET route also
   * answers HEAD; OPTIONS is answered by the HTTP layer from `allowed`.
   */
  find(method: string, path: string): Match<H> {
    const exact = this.#exact.get(`${method} ${path}`) ?? (method === 'HEAD' ? this.#exact.get(`GET ${path}`) : undefined);
    if (exact !== undefined) return { kind: 'found', handler: exact, params: NO_PARAMS };
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
