// @vitest-environment node
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeDescription, parseDescription } from './description';
import { GuidRegistry, guidFor, isGuid, normalizeGuid, sha1, toHex, uuidV5, CODEBENCH_GUID_NAMESPACE } from './guid';

describe('sha1 and uuidV5', () => {
  it('agrees with node:crypto on any bytes, across block boundaries', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(toHex(sha1(bytes))).toBe(createHash('sha1').update(bytes).digest('hex'));
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => toHex(sha1(bytes)) === createHash('sha1').update(bytes).digest('hex')));
  });

  it('gives the RFC / Python uuid5 values', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    // Python: uuid.uuid5(UUID(CODEBENCH_GUID_NAMESPACE), 'code\x1f\x1fsupport')
    expect(guidFor('code', 'support')).toBe('c473e836-8850-5e12-9525-9290467b0780');
  });
});

describe('guidFor / GuidRegistry', () => {
  it('keeps ids that are GUIDs and maps others deterministically, by kind and scope', () => {
    const uuid = '2b7e1516-28ae-4d2a-8f3c-9a1b2c3d4e5f';
    expect(guidFor('code', uuid)).toBe(uuid);
    expect(guidFor('code', '{2B7E1516-28AE-4D2A-8F3C-9A1B2C3D4E5F}')).toBe('{2B7E1516-28AE-4D2A-8F3C-9A1B2C3D4E5F}');
    const slug = guidFor('code', 'q-rewards');
    expect(isGuid(slug)).toBe(true);
    expect(slug).toBe(guidFor('code', 'q-rewards'));
    expect(slug).not.toBe(guidFor('coder', 'q-rewards'));
    expect(slug).not.toBe(guidFor('code', 'q-rewards', 'project-2'));
    expect(guidFor('code', uuidV5(CODEBENCH_GUID_NAMESPACE, 'x'))).toBe(uuidV5(CODEBENCH_GUID_NAMESPACE, 'x'));
  });

  it('recognises and normalises the GUID forms of the schema', () => {
    expect(isGuid('{d7aa29da-519b-4946-9b90-253b6db8fd0a}')).toBe(true);
    expect(isGuid('{d7aa29da-519b-4946-9b90-253b6db8fd0a')).toBe(false);
    expect(isGuid('d7aa29da519b49469b90253b6db8fd0a')).toBe(false);
    expect(normalizeGuid('{D7AA29DA-519B-4946-9B90-253B6DB8FD0A}')).toBe('d7aa29da-519b-4946-9b90-253b6db8fd0a');
  });

  it('never hands out one GUID twice in a document, even when two ids are the same UUID', () => {
    const uuid = '2b7e1516-28ae-4d2a-8f3c-9a1b2c3d4e5f';
    const guids = new GuidRegistry('p');
    const code = guids.get('code', uuid);
    const coder = guids.get('coder', uuid);
    expect(code).toBe(uuid);
    expect(coder).not.toBe(uuid);
    expect(isGuid(coder)).toBe(true);
    expect(guids.get('coder', uuid)).toBe(coder);
    expect(new GuidRegistry('p').get('coder', uuid)).toBe(uuid);
  });
});

describe('code descriptions', () => {
  const fields = { definition: 'Help received.\r\nAny kind.', inclusion: 'Named people.', exclusion: 'Money.', example: '"My mentor."' };

  it('writes labelled paragraphs after the definition, and reads them back', () => {
    const text = composeDescription(fields);
    expect(text).toBe('Help received.\r\nAny kind.\n\nInclusion criteria: Named people.\n\nExclusion criteria: Money.\n\nExample: "My mentor."');
    expect(parseDescription(text)).toEqual(fields);
    expect(composeDescription({ definition: '', inclusion: '', exclusion: '', example: '' })).toBe('');
  });

  it('round-trips any combination of fields that do not themselves start a labelled paragraph', () => {
    const field = fc
      .string({ maxLength: 30 })
      .filter((s) => s.trim() === s && !/(^|\n\n)(inclusion criteria|exclusion criteria|example):/i.test(s) && !s.endsWith('\n'));
    fc.assert(
      fc.property(field, field, field, field, (definition, inclusion, exclusion, example) => {
        const texts = { definition, inclusion, exclusion, example };
        expect(parseDescription(composeDescription(texts))).toEqual(texts);
      }),
    );
  });

  it("reads another tool's description as the definition, and labels in any case", () => {
    expect(parseDescription('Anything about jobs or taxes')).toEqual({ definition: 'Anything about jobs or taxes', inclusion: '', exclusion: '', example: '' });
    expect(parseDescription('Def.\n\nEXAMPLE: this one')).toEqual({ definition: 'Def.', inclusion: '', exclusion: '', example: 'this one' });
  });
});
