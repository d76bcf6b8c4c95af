// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { SyncCryptoError, TEAM_KEY_BYTES, base64urlToBytes, bytesToBase64url, createSealer, newTeamId, newTeamKey } from './crypto';

const text = (s: string) => new TextEncoder().encode(s);

describe('team keys', () => {
  it('are 32 random bytes; team ids are 22 base64url characters', () => {
    const a = newTeamKey();
    const b = newTeamKey();
    expect(a).toHaveLength(TEAM_KEY_BYTES);
    expect(a).not.toEqual(b);
    expect(newTeamId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newTeamId()).not.toBe(newTeamId());
  });

  it('round-trip through base64url, and bad text is refused', () => {
    for (const n of [0, 1, 2, 3, 31, 32, 33, 70_000]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + 11) & 255);
      const encoded = bytesToBase64url(bytes);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(base64urlToBytes(encoded)).toEqual(bytes);
    }
    expect(() => base64urlToBytes('not base64!')).toThrow(SyncCryptoError);
    expect(() => base64urlToBytes('abcde')).toThrow(SyncCryptoError);
  });

  it('must be 32 bytes', async () => {
    await expect(createSealer(new Uint8Array(16))).rejects.toThrow(/32 bytes; this one is 16/);
  });
});

describe('Sealer', () => {
  it('seals and opens, with a fresh IV each time', async () => {
    const sealer = await createSealer(newTeamKey());
    const plain = text('coding: “Confidence” on answer R17/Q3 by Ana Lopes');
    const a = await sealer.seal(plain, 'coder:ana');
    const b = await sealer.seal(plain, 'coder:ana');
    expect(a[0]).toBe(1);
    expect(a).toHaveLength(1 + 12 + plain.length + 16);
    expect(a).not.toEqual(b);
    expect(await sealer.open(a, 'coder:ana')).toEqual(plain);
    expect(await sealer.open(b, 'coder:ana')).toEqual(plain);
    expect(await sealer.open(await sealer.seal(new Uint8Array(0), 'shared'), 'shared')).toEqual(new Uint8Array(0));
  });

  it('opens what another sealer made from the same key', async () => {
    const key = newTeamKey();
    const sealed = await (await createSealer(key)).seal(text('same team'), 'shared');
    expect(new TextDecoder().decode(await (await createSealer(new Uint8Array(key))).open(sealed, 'shared'))).toBe('same team');
  });

  it('detects any changed byte', async () => {
    const sealer = await createSealer(newTeamKey());
    const sealed = await sealer.seal(text('an answer about mentoring'), 'answers');
    for (const at of [1, 5, 12, 13, 20, sealed.length - 1]) {
      const tampered = new Uint8Array(sealed);
      tampered[at] ^= 0x01;
      await expect(sealer.open(tampered, 'answers')).rejects.toThrow(/could not be opened/);
    }
    await expect(sealer.open(sealed.subarray(0, sealed.length - 1), 'answers')).rejects.toThrow(SyncCryptoError);
    await expect(sealer.open(sealed.subarray(0, 20), 'answers')).rejects.toThrow(/too short/);
    const otherVersion = new Uint8Array(sealed);
    otherVersion[0] = 2;
    await expect(sealer.open(otherVersion, 'answers')).rejects.toThrow(/format 2.*update Codebench/);
  });

  it('binds an entry to its space: replayed into another, it does not open', async () => {
    const sealer = await createSealer(newTeamKey());
    const sealed = await sealer.seal(text('codings of coder A'), 'coder:a');
    await expect(sealer.open(sealed, 'coder:b')).rejects.toThrow(SyncCryptoError);
    await expect(sealer.open(sealed, 'shared')).rejects.toThrow(SyncCryptoError);
  });

  it('refuses another key with a plain message', async () => {
    const sealed = await (await createSealer(newTeamKey())).seal(text('secret'), 'shared');
    const other = await createSealer(newTeamKey());
    await expect(other.open(sealed, 'shared')).rejects.toThrow(
      'A synced entry could not be opened: the team key is not the one it was sealed with, or the entry was changed.',
    );
  });

  it('names rooms with 64 hex characters that depend on the key and the space, and reveal neither', async () => {
    const key = newTeamKey();
    const sealer = await createSealer(key);
    const room = await sealer.roomName('coder:ana');
    expect(room).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await createSealer(new Uint8Array(key))).roomName('coder:ana')).toBe(room);
    expect(await sealer.roomName('coder:bob')).not.toBe(room);
    expect(await (await createSealer(newTeamKey())).roomName('coder:ana')).not.toBe(room);
    expect(room).not.toContain(Buffer.from('ana').toString('hex'));
  });
});
