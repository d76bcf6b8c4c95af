import { describe, expect, it } from 'vitest';
import { notASurveyMessage } from './not-a-survey';

describe('notASurveyMessage', () => {
  it('names a web page saved as .csv, however it starts', () => {
    for (const start of [
      '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title>',
      '  \n<html lang="en">\n<body>Sign in</body>',
      '<!-- error page -->\n<head><meta charset="utf-8">',
      '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">\n<body/>',
    ]) {
      expect(notASurveyMessage(start, 'export.csv')).toMatch(
        /^"export\.csv" is a web page \((?:X)?HTML\), not a survey export: the survey tool or the browser probably saved an error or sign-in page/,
      );
    }
  });

  it('names XML and JSON, and Codebench’s own files with where they go', () => {
    expect(notASurveyMessage('<?xml version="1.0" encoding="utf-8"?>\n<Project>', 'a.csv')).toBe(
      '"a.csv" is an XML document, not a survey export. Export the survey results as CSV or Excel (.xlsx) and import that.',
    );
    expect(notASurveyMessage('<responses>\n  <response id="1">', 'a.csv')).toMatch(/is an XML document/);
    expect(notASurveyMessage('[{"id": 1, "answer": "x"}]', 'a.csv')).toBe(
      '"a.csv" holds JSON data, not a survey table. Export the survey results as CSV or Excel (.xlsx) and import that.',
    );
    expect(notASurveyMessage('{\n  "format": "codebench-project",\n  "version": 1,', 'p.json')).toBe(
      '"p.json" is a Codebench project file, not a survey export. Open it with “Open a project file…” on the start page.',
    );
    expect(notASurveyMessage('{"format":"codebench-codebook"', 'c.json')).toMatch(/is a Codebench codebook, not a survey export/);
  });

  it('leaves survey tables alone, including headers with brackets and angle brackets', () => {
    for (const start of ['id,answer\n1,<b>bold</b>\n', '<ID>,<Answer>\n1,x\n', '[ID],Answer\n', 'Q1;Q2\n"{x}";y', '{ID}\tanswer\n', '']) {
      expect(notASurveyMessage(start, 'ok.csv')).toBeNull();
    }
  });
});
