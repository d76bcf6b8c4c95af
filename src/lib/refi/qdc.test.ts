// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { CODEBOOK_PALETTE } from '../codebook/codebook-json';
import { RefiError } from './errors';
import { guidFor } from './guid';
import { readQdc, writeQdc } from './qdc';
import { refiProject } from './test-fixtures';
import { HAVE_REFI, xsdErrors } from './test-support';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(RefiError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('writeQdc / readQdc', () => {
  const project = refiProject();

  it('keeps nesting, order, names, colours and the four texts; ids become the GUIDs', () => {
    const read = readQdc(writeQdc(project.codes, { themes: project.themes }));
    expect(read.warnings).toEqual([]);
    const byName = new Map(read.codes.map((c) => [c.name, c]));
    for (const code of project.codes) {
      const back = byName.get(code.name)!;
      expect(back.id).toBe(guidFor('code', code.id));
      expect(back.parentId).toBe(code.parentId === null ? null : guidFor('code', code.parentId));
      expect(back.color).toBe(code.color);
      expect([back.definition, back.inclusion, back.exclusion, back.example]).toEqual([code.definition, code.inclusion, code.exclusion, code.example]);
    }
    // Siblings in `order`: Support (0), Funding (2), Place (5) → 0, 1, 2.
    expect(read.codes.filter((c) => c.parentId === null).map((c) => [c.name, c.order])).toEqual([
      ['Support & <care>', 0],
      ['Funding', 1],
      ['Place', 2],
    ]);
    expect(read.themes.map((t) => [t.name, t.codeIds])).toEqual([
      ['Personal & professional growth', [guidFor('code', 'support'), guidFor('code', 'place')]],
      ['To do', []],
    ]);
  });

  it('writes colours as #RRGGBB and is stable: export → import → export gives the same file', () => {
    const first = writeQdc(project.codes, { themes: project.themes });
    expect(first).toContain('color="#009E73"');
    const read = readQdc(first);
    expect(writeQdc(read.codes, { themes: read.themes })).toBe(first);
  });

  it('scopes the GUIDs of slug ids when asked (a .qdc and a .qdpx of one project agree)', () => {
    const read = readQdc(writeQdc(project.codes, { guidScope: 'p-refi' }));
    expect(read.codes.map((c) => c.id)).toContain(guidFor('code', 'support', 'p-refi'));
  });

  it.skipIf(!HAVE_REFI)('validates against Codebook.xsd', async () => {
    expect(await xsdErrors(writeQdc(project.codes, { themes: project.themes }), 'Codebook.xsd')).toEqual([]);
    // The check can fail: a code without its required isCodable is caught.
    expect((await xsdErrors(writeQdc(project.codes).replace(' isCodable="true"', ''), 'Codebook.xsd')).join()).toMatch(/isCodable/);
  });

  it("reads the standard's example codebook (braced GUIDs, #rgb colours, no colour, folders)", () => {
    const read = readQdc(`<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Example">
<Codes>
<Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false">
  <Code guid="{D7AA29DA-519B-4946-9B90-253B6DB8FD0A}" name="Economy" isCodable="true" color="#ff0"><Description>Anything about jobs or taxes or business</Description></Code>
  <Code guid="{0dcef2f5-e55c-49da-8c33-9b0803c7aeb4}" name="economy" isCodable="true" color="red"/>
</Code>
<Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="" isCodable="true"/>
</Codes>
<Sets><Set guid="{11111111-1111-4111-8111-111111111111}" name="Econ"><MemberCode guid="{d7aa29da-519b-4946-9b90-253b6db8fd0a}"/><MemberCode guid="{99999999-1111-4111-8111-111111111111}"/></Set></Sets>
</CodeBook>`);
    expect(read.codes.map((c) => [c.id, c.parentId, c.name, c.color])).toEqual([
      ['5215cc69-b628-4e02-afb9-9beeaee55808', null, 'Topics', CODEBOOK_PALETTE[0]],
      ['d7aa29da-519b-4946-9b90-253b6db8fd0a', '5215cc69-b628-4e02-afb9-9beeaee55808', 'Economy', '#ffff00'],
      ['0dcef2f5-e55c-49da-8c33-9b0803c7aeb4', '5215cc69-b628-4e02-afb9-9beeaee55808', 'economy (2)', CODEBOOK_PALETTE[2]],
      ['9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520', null, 'Unnamed code', CODEBOOK_PALETTE[3]],
    ]);
    expect(read.codes[1].definition).toBe('Anything about jobs or taxes or business');
    expect(read.themes).toEqual([
      {
        id: '11111111-1111-4111-8111-111111111111',
        name: 'Econ',
        description: '',
        codeIds: ['d7aa29da-519b-4946-9b90-253b6db8fd0a'],
        withSubcodes: false,
        order: 0,
      },
    ]);
    expect(read.warnings.join('\n')).toMatch(/1 code has a colour.*#RRGGBB/);
    expect(read.warnings.join('\n')).toMatch(/2 codes were renamed/);
    expect(read.warnings.join('\n')).toMatch(/1 code is marked as not codable/);
    expect(read.warnings.join('\n')).toMatch(/1 member of a set refers to a code that is not in the codebook/);
  });

  it('puts codes nested deeper than Codebench holds at the deepest level, with a warning', () => {
    let xml = '';
    for (let i = 0; i < 10; i++) xml += `<Code guid="00000000-0000-4000-8000-00000000000${i}" name="L${i + 1}" isCodable="true">`;
    xml += '</Code>'.repeat(10);
    const read = readQdc(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>${xml}</Codes></CodeBook>`);
    const parent = new Map(read.codes.map((c) => [c.name, read.codes.find((p) => p.id === c.parentId)?.name ?? null]));
    expect(parent.get('L8')).toBe('L7');
    expect(parent.get('L9')).toBe('L7');
    expect(parent.get('L10')).toBe('L7');
    expect(read.warnings.join()).toMatch(/2 codes were nested more than 8 levels/);
  });

  it('refuses what is not a safe REFI codebook', () => {
    expect(refusal(() => readQdc('<!DOCTYPE CodeBook [<!ENTITY x SYSTEM "file:///etc/passwd">]><CodeBook><Codes/></CodeBook>'))).toMatch(/DOCTYPE/);
    expect(refusal(() => readQdc('<?xml version="1.0" encoding="windows-1252"?><CodeBook/>'))).toMatch(/encoding "windows-1252"/);
    expect(refusal(() => readQdc('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'))).toMatch(/a REFI-QDA project \(\.qde\), not a codebook/);
    expect(refusal(() => readQdc('<Other/>'))).toMatch(/root element is <Other>/);
    expect(refusal(() => writeQdc([]))).toMatch(/no codes to export/);
    expect(refusal(() => writeQdc([{ ...project.codes[1], parentId: 'gone' }]))).toMatch(/parent of the code "Mentor" is not among the codes/);
  });
});
