import { describe, expect, it } from 'vitest';
import { HoldGate } from './hold-gate';

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  // Two turns of the microtask queue: a resolved promise's then has run by then.
  await Promise.resolve();
  await Promise.resolve();
  return done;
};

describe('HoldGate', () => {
  it('passes at once while the user is not busy', async () => {
    const gate = new HoldGate();
    expect(await settled(gate.pass())).toBe(true);
  });

  it('holds background work while the user is busy, and lets it go when they stop', async () => {
    const gate = new HoldGate();
    gate.held = true;
    const checkpoint = gate.pass();
    expect(await settled(checkpoint)).toBe(false);
    gate.held = true;
    expect(await settled(checkpoint)).toBe(false);
    gate.held = false;
    expect(await settled(checkpoint)).toBe(true);
  });

  it('never holds while work the user waits for is queued, and holds again once it is done', async () => {
    const gate = new HoldGate();
    gate.held = true;
    const held = gate.pass();
    const done = gate.urgent();
    expect(await settled(held)).toBe(true);
    expect(await settled(gate.pass())).toBe(true);
    done();
    done();
    expect(gate.open).toBe(false);
    expect(await settled(gate.pass())).toBe(false);
  });
});
