// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createSealer, newTeamKey, type Sealer } from './crypto';
import { SEALED_ARRAY, SealedChannel } from './sealed-channel';

interface Peer {
  inner: Y.Doc;
  outer: Y.Doc;
  channel: SealedChannel;
  errors: string[];
}

function peer(sealer: Sealer, options: { compactAfter?: number; compactDelayMs?: number; space?: string } = {}): Peer {
  const inner = new Y.Doc();
  const outer = new Y.Doc();
  const errors: string[] = [];
  const channel = new SealedChannel({ sealer, space: options.space ?? 'shared', inner, outer, batchMs: 1, onError: (m) => errors.push(m), ...options });
  return { inner, outer, channel, errors };
}

/** Outer docs joined by a network the test drives: updates wait in a queue until delivered, in any order. */
function network(peers: Peer[]) {
  const queue: { to: Peer; update: Uint8Array }[] = [];
  for (const from of peers) {
    from.outer.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'network') return;
      for (const to of peers) if (to !== from) queue.push({ to, update });
    });
  }
  return {
    queue,
    deliver(index: number) {
      const [message] = queue.splice(index, 1);
      Y.applyUpdate(message.to.outer, message.update, 'network');
    },
    async settle() {
      for (let round = 0; round < 100; round++) {
        while (queue.length) this.deliver(0);
        await Promise.all(peers.map((p) => p.channel.flush()));
        if (queue.length === 0) return;
      }
      throw new Error('the network did not settle');
    },
  };
}

/** mulberry32: the same interleavings on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sorted = (doc: Y.Doc) => JSON.stringify(Object.entries(doc.getMap('codings').toJSON()).sort());

describe('SealedChannel', () => {
  it('batches local updates into one sealed entry and applies entries from others', async () => {
    const sealer = await createSealer(newTeamKey());
    const a = peer(sealer);
    const b = peer(sealer);
    for (let i = 0; i < 100; i++) a.inner.getMap('codings').set(`c${i}`, { codeId: 'x', start: i });
    await a.channel.flush();
    const entries = a.outer.getArray<Uint8Array>(SEALED_ARRAY);
    expect(entries.length).toBe(1);
    expect(a.channel.stats()).toMatchObject({ entries: 1, written: 1, failures: 0 });

    Y.applyUpdate(b.outer, Y.encodeStateAsUpdate(a.outer), 'network');
    await b.channel.flush();
    expect(b.inner.getMap('codings').size).toBe(100);
    // What the channel applied is not sealed again.
    expect(b.outer.getArray(SEALED_ARRAY).length).toBe(1);
    expect(b.channel.stats()).toMatchObject({ applied: 1, written: 0 });
  });

  it('opens what the outer doc already holds (local persistence) before ready resolves', async () => {
    const sealer = await createSealer(newTeamKey());
    const a = peer(sealer);
    a.inner.getMap('codings').set('kept', { codeId: 'x' });
    await a.channel.flush();
    const saved = Y.encodeStateAsUpdate(a.outer);

    const outer = new Y.Doc();
    Y.applyUpdate(outer, saved);
    const inner = new Y.Doc();
    const channel = new SealedChannel({ sealer, space: 'shared', inner, outer });
    await channel.ready;
    expect(inner.getMap('codings').get('kept')).toEqual({ codeId: 'x' });
    channel.destroy();
  });

  it('reports entries it cannot open, never throws them into Yjs, and keeps them', async () => {
    const a = peer(await createSealer(newTeamKey()));
    const b = peer(await createSealer(newTeamKey()), { compactAfter: 2 });
    for (let i = 0; i < 5; i++) {
      a.inner.getMap('codings').set(`c${i}`, i);
      await a.channel.flush();
    }
    expect(() => Y.applyUpdate(b.outer, Y.encodeStateAsUpdate(a.outer), 'network')).not.toThrow();
    await b.channel.flush();
    expect(b.inner.getMap('codings').size).toBe(0);
    expect(b.channel.stats().failures).toBe(5);
    expect(b.errors[0]).toMatch(/could not be opened/);
    // Over its compaction limit, but it has applied none of them: it deletes nothing.
    b.inner.getMap('codings').set('own', 1);
    await b.channel.flush();
    expect(b.outer.getArray(SEALED_ARRAY).length).toBe(6);

    // A damaged entry from a team member: opened fine, but not a Yjs update.
    const sealer = await createSealer(newTeamKey());
    const c = peer(sealer);
    c.outer.getArray<Uint8Array>(SEALED_ARRAY).push([await sealer.seal(new Uint8Array([1, 2, 3, 250]), 'shared')]);
    await c.channel.flush();
    expect(c.errors).toEqual([expect.stringMatching(/not a change Codebench can apply/)]);
  });

  it('compacts what it has applied into one snapshot, leaving entries it has not applied', async () => {
    const sealer = await createSealer(newTeamKey());
    const a = peer(sealer, { compactAfter: 4 });
    const b = peer(sealer);
    for (let i = 0; i < 4; i++) {
      a.inner.getMap('codings').set(`a${i}`, i);
      await a.channel.flush();
    }
    // b writes one entry a has not seen yet: it arrives while a compacts.
    Y.applyUpdate(b.outer, Y.encodeStateAsUpdate(a.outer), 'network');
    await b.channel.flush();
    b.inner.getMap('codings').set('b0', 0);
    await b.channel.flush();
    const unseen = Y.encodeStateAsUpdate(b.outer, Y.encodeStateVector(a.outer));

    a.inner.getMap('codings').set('a4', 4);
    const compacting = a.channel.flush();
    // Delivered before a's snapshot is sealed (sealing waits for WebCrypto), so it is in the array but not applied yet.
    Y.applyUpdate(a.outer, unseen, 'network');
    await compacting;
    await a.channel.flush();
    expect(a.channel.stats().compactions).toBe(1);
    Y.applyUpdate(b.outer, Y.encodeStateAsUpdate(a.outer, Y.encodeStateVector(b.outer)), 'network');
    await b.channel.flush();
    expect(sorted(a.inner)).toBe(sorted(b.inner));
    expect(a.inner.getMap('codings').size).toBe(6);
    // A doc that starts from the compacted outer doc alone has everything.
    const fresh = peer(sealer);
    Y.applyUpdate(fresh.outer, Y.encodeStateAsUpdate(a.outer), 'network');
    await fresh.channel.flush();
    expect(sorted(fresh.inner)).toBe(sorted(a.inner));
    expect(a.outer.getArray(SEALED_ARRAY).length).toBeLessThanOrEqual(3);
  });

  it('loses nothing with three clients writing and compacting over a network that reorders and delays', async () => {
    const sealer = await createSealer(newTeamKey());
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const peers = [0, 1, 2].map(() => peer(sealer, { compactAfter: 5, compactDelayMs: 1 }));
      const net = network(peers);
      // Every local edit of every peer, applied straight to one doc: what all of them must end up with.
      const reference = new Y.Doc();
      for (const p of peers) p.inner.on('update', (update: Uint8Array, origin: unknown) => origin !== p.channel && Y.applyUpdate(reference, update));
      for (let step = 0; step < 150; step++) {
        const r = next();
        const p = peers[Math.floor(next() * peers.length)];
        if (r < 0.45) {
          const key = `k${Math.floor(next() * 60)}`;
          p.inner.getMap('codings').set(key, step);
        } else if (r < 0.5) {
          // Deletions travel too; a deleted key is not expected at the end unless set again later.
          const key = [...p.inner.getMap('codings').keys()][0];
          if (key !== undefined) p.inner.getMap('codings').delete(key);
        } else if (r < 0.8 && net.queue.length) {
          net.deliver(Math.floor(next() * net.queue.length));
        } else if (r < 0.9) {
          await p.channel.flush();
        } else {
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
      await net.settle();
      // Compactions scheduled by a timer may still run: let them, then settle again.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await net.settle();
      const [a, b, c] = peers;
      expect(sorted(b.inner), `seed ${seed}`).toBe(sorted(a.inner));
      expect(sorted(c.inner), `seed ${seed}`).toBe(sorted(a.inner));
      for (const p of peers) expect(p.errors).toEqual([]);
      expect(
        peers.reduce((n, p) => n + p.channel.stats().compactions, 0),
        `seed ${seed}`,
      ).toBeGreaterThan(0);
      expect(sorted(a.inner), `seed ${seed}: nothing lost`).toBe(sorted(reference));
      // And a newcomer with the outer doc alone reads the same.
      const fresh = peer(sealer);
      Y.applyUpdate(fresh.outer, Y.encodeStateAsUpdate(a.outer), 'network');
      await fresh.channel.flush();
      expect(sorted(fresh.inner)).toBe(sorted(a.inner));
      for (const p of [...peers, fresh]) p.channel.destroy();
    }
  });

  it('seals updates still waiting for their batch when destroyed', async () => {
    const sealer = await createSealer(newTeamKey());
    const a = peer(sealer);
    a.inner.getMap('codings').set('last', 1);
    a.channel.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.outer.getArray(SEALED_ARRAY).length).toBe(1);
    a.inner.getMap('codings').set('after', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.outer.getArray(SEALED_ARRAY).length).toBe(1);
  });
});
