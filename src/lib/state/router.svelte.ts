/**
 * Hash routing, so a reload lands where the user was: "#/" (home) or "#/project/<id>[/<questionId>]", then
 * optionally "?<place>": the view, tab, filters and order within the project (see place.ts). The route (the
 * path) opens a project or a question; the place is applied to the open project.
 */
export type Route = { name: 'home' } | { name: 'project'; projectId: string; questionId?: string };

/** The hash's path and its query (after "?", '' when there is none). */
export function splitHash(hash: string): { path: string; query: string } {
  const at = hash.indexOf('?');
  return at < 0 ? { path: hash, query: '' } : { path: hash.slice(0, at), query: hash.slice(at + 1) };
}

export function parseRoute(hash: string): Route {
  const parts = splitHash(hash).path.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'project' && parts[1]) return { name: 'project', projectId: parts[1], questionId: parts[2] };
  return { name: 'home' };
}

/** A malformed escape in a hand-edited link reads as it is rather than throwing on load. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function routeHash(route: Route, query = ''): string {
  const suffix = query ? `?${query}` : '';
  if (route.name === 'home') return '#/' + suffix;
  const parts = ['project', route.projectId, ...(route.questionId ? [route.questionId] : [])];
  return '#/' + parts.map(encodeURIComponent).join('/') + suffix;
}

/** How long a replaced place waits for the next change before it is written (see Router.replaceQuery). */
export const REPLACE_DELAY_MS = 250;

export class Router {
  route = $state<Route>(parseRoute(globalThis.location?.hash ?? ''));
  /** The place part of the hash as it now stands. */
  query = $state(splitHash(globalThis.location?.hash ?? '').query);
  /** Called when the place changed by navigation (back, forward, an edited link), not by the app writing it. */
  onnavigate: (query: string) => void = () => {};

  constructor() {
    // The hashchange that go() itself causes names the route already set: keeping
    // the same object stops everything that follows the route from running twice
    // (a second open of a 100k project, without what the import handed over).
    globalThis.addEventListener?.('hashchange', () => {
      // A place not yet written belongs to the entry just left: it must not overwrite this one.
      this.#cancelPending();
      const { query } = splitHash(location.hash);
      const routeChanged = routeHash(this.route) !== routeHash(parseRoute(location.hash));
      const queryChanged = query !== this.query;
      if (routeChanged) this.route = parseRoute(location.hash);
      if (queryChanged) this.query = query;
      // A new route is followed (which applies the place once the project is open); the same route, its place.
      if (queryChanged && !routeChanged) this.onnavigate(query);
    });
    // A reload or a closed tab keeps the last place even inside the moment a replace waits.
    globalThis.addEventListener?.('pagehide', () => this.flush());
  }

  /** A replaced place waiting to be written (see replaceQuery). */
  #pending: ReturnType<typeof setTimeout> | null = null;

  #cancelPending() {
    if (this.#pending !== null) clearTimeout(this.#pending);
    this.#pending = null;
  }

  /** Goes to a route (and place): a new entry in the browser's history. */
  go(route: Route, query = '') {
    // A place still waiting to be written belongs to the entry being left, so Back returns to it.
    this.flush();
    const hash = routeHash(route, query);
    this.query = query;
    if (location.hash !== hash) location.hash = hash;
    this.route = route;
  }

  /**
   * Writes the place into the URL without a history entry (a filter or a keystroke in the search box must not
   * fill the back button) and without a hashchange (which would apply it again). Written a moment later, once
   * for a burst of changes: Safari refuses more than 100 replaceState calls in 30 seconds, fewer than a typist's keys.
   */
  replaceQuery(query: string) {
    if (query === this.query && this.#pending === null) return;
    this.query = query;
    this.#cancelPending();
    this.#pending = setTimeout(() => this.flush(), REPLACE_DELAY_MS);
  }

  /** Writes a replaced place now. */
  flush() {
    if (this.#pending === null) return;
    this.#cancelPending();
    if (splitHash(location.hash).query === this.query) return;
    try {
      globalThis.history?.replaceState(globalThis.history.state, '', this.#withQuery(this.query));
    } catch {
      // Refused (too many calls): the next change writes it.
    }
  }

  /** Moves to another place of the same route as a new history entry, so the back button returns to this one. */
  pushQuery(query: string) {
    this.flush();
    if (query === this.query) return;
    this.query = query;
    try {
      globalThis.history?.pushState(globalThis.history.state, '', this.#withQuery(query));
    } catch {
      // Refused: the place is still shown, only not in the address bar.
    }
  }

  /** The current path (as the address bar has it) with another place. */
  #withQuery(query: string): string {
    const path = splitHash(location.hash).path || routeHash(this.route);
    return path + (query ? `?${query}` : '');
  }
}

export const router = new Router();
