import { describe, expect, it } from 'vitest';
import { Router } from '../../src/lib/state/router.svelte';

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
