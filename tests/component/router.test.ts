import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, Router, splitHash } from '../../src/lib/state/router.svelte';

describe('Router', () => {
  it('keeps the route it went to when the hashchange it caused arrives, and follows hashes it did not set', async () => {
    const router = new Router();
    router.go({ name: 'project', projectId: 'p1' });
    const route = router.route;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(router.route).toBe(route);
    location.hash = '#/project/p2/q1';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(router.route).toEqual({ name: 'project', projectId: 'p2', questionId: 'q1' });
  });
});

describe('Router and the place', () => {
  it('reads old links with no place, and the place after "?" without changing the route', () => {
    expect(parseRoute('#/project/p1/q1')).toEqual({ name: 'project', projectId: 'p1', questionId: 'q1' });
    expect(parseRoute('#/project/p1/q1?view=analysis&tab=prevalence')).toEqual({ name: 'project', projectId: 'p1', questionId: 'q1' });
    expect(parseRoute('#/project/p%E0%A4')).toEqual({ name: 'project', projectId: 'p%E0%A4', questionId: undefined });
    expect(splitHash('#/project/p1?wave=w1')).toEqual({ path: '#/project/p1', query: 'wave=w1' });
    expect(routeHash({ name: 'project', projectId: 'p 1' }, 'view=grid')).toBe('#/project/p%201?view=grid');
  });

  it('replaces the place with no history entry and no navigation; a place reached by back or forward is reported', () => {
    const router = new Router();
    router.go({ name: 'project', projectId: 'p1', questionId: 'q1' });
    const navigated: string[] = [];
    router.onnavigate = (query) => navigated.push(query);
    const entries = history.length;
    router.replaceQuery('wave');
    router.replaceQuery('wave=w1');
    expect(location.hash).toBe('#/project/p1/q1');
    router.flush();
    expect(location.hash).toBe('#/project/p1/q1?wave=w1');
    expect(history.length).toBe(entries);
    router.pushQuery('view=analysis&wave=w1');
    expect(location.hash).toBe('#/project/p1/q1?view=analysis&wave=w1');
    expect(history.length).toBe(entries + 1);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(navigated).toEqual([]);
    // As the back button would leave it.
    history.replaceState(null, '', '#/project/p1/q1?wave=w1');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(navigated).toEqual(['wave=w1']);
    expect(router.route).toEqual({ name: 'project', projectId: 'p1', questionId: 'q1' });
  });
});
