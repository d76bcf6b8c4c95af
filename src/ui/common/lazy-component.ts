import type { Component } from 'svelte';

/**
 * A component loaded from its own chunk the first time it is asked for (`{#await view() then View}`), and the same
 * promise every later time, so the view is fetched once and an `{#await}` over it does not start again.
 */
export function lazyComponent<Props extends Record<string, unknown>>(load: () => Promise<{ default: Component<Props> }>): () => Promise<Component<Props>> {
  let loading: Promise<Component<Props>> | undefined;
  return () => {
    loading ??= load().then((module) => module.default);
    // A chunk that failed to load (a lost connection) may be asked for again.
    loading.catch(() => (loading = undefined));
    return loading;
  };
}
