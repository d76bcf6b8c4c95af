/** Hash routing, so a reload lands where the user was: "#/" (home) or "#/project/<id>[/<questionId>]". */
export type Route = { name: 'home' } | { name: 'project'; projectId: string; questionId?: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'project' && parts[1]) return { name: 'project', projectId: parts[1], questionId: parts[2] };
  return { name: 'home' };
}

export function routeHash(route: Route): string {
  if (route.name === 'home') return '#/';
  const parts = ['project', route.projectId, ...(route.questionId ? [route.questionId] : [])];
  return '#/' + parts.map(encodeURIComponent).join('/');
}

export class Router {
  route = $state<Route>(parseRoute(globalThis.location?.hash ?? ''));

  constructor() {
    // The hashchange that go() itself causes names the route already set: keeping
    // the same object stops everything that follows the route from running twice
    // (a second open of a 100k project, without what the import handed over).
    globalThis.addEventListener?.('hashchange', () => {
      if (routeHash(this.route) !== location.hash) this.route = parseRoute(location.hash);
    });
  }

  go(route: Route) {
    const hash = routeHash(route);
    if (location.hash !== hash) location.hash = hash;
    this.route = route;
  }
}

export const router = new Router();
