// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  describeAC1,
  describeAlpha,
  describeKappa,
  describePercentAgreement,
  describeStatistic,
  describeUndefined,
  prevalenceFlag,
  prevalenceNote,
} from './readings';

describe('describeAlpha', () => {
  it("applies Krippendorff's thresholds 0.800 and 0.667", () => {
    expect(describeAlpha(0.8)).toMatchObject({ band: 'reliable', tone: 'good', text: "α = 0.800: reliable by Krippendorff's standard (α ≥ 0.800)." });
    expect(describeAlpha(0.799)).toMatchObject({ band: 'tentative', tone: 'fair' });
    expect(describeAlpha(0.799).text).toContain('tentative conclusions only');
    expect(describeAlpha(0.667).band).toBe('tentative');
    expect(describeAlpha(0.6669)).toMatchObject({ band: 'unreliable', tone: 'poor' });
    expect(describeAlpha(0.5).notes).toEqual([]);
  });

  it('notes systematic disagreement below 0 and intervals that reach below a threshold', () => {
    expect(describeAlpha(-0.2).notes[0]).toMatch(/disagree more than chance/);
    expect(describeAlpha(0.84, { interval: { low: 0.76, high: 0.9 } }).notes).toEqual([
      'The 95% interval is 0.760 to 0.900: it reaches below 0.800, so with these units reliability is not assured.',
    ]);
    expect(describeAlpha(0.7, { interval: { low: 0.6, high: 0.8 } }).notes[0]).toMatch(/below 0.667/);
    expect(describeAlpha(0.9, { interval: { low: 0.85, high: 0.95 } }).notes).toEqual([]);
  });
});

describe('describeKappa', () => {
  it("uses Landis and Koch's bands and says they are arbitrary", () => {
    const bands = [-0.1, 0.1, 0.3, 0.5, 0.7, 0.9].map((v) => describeKappa(v).band);
    expect(bands).toEqual(['poor', 'slight', 'fair', 'moderate', 'substantial', 'almost perfect']);
    expect(describeKappa(0.2).band).toBe('slight');
    expect(describeKappa(0.21).band).toBe('fair');
    const reading = describeKappa(0.65);
    expect(reading.text).toBe("κ = 0.650: substantial agreement on Landis and Koch's scale.");
    expect(reading.notes[0]).toMatch(/arbitrary/);
  });

  it('adds the kappa paradox note for rare and near-universal codes, without repeating how common the code is', () => {
    const rare = describeKappa(0.3, { prevalence: 0.04, percentAgreement: 0.95 });
    expect(rare.notes[1]).toBe(
      'Kappa can be low for such a code even when coders agree on most units (here they agree on 95.0%): the kappa paradox. ' +
        "Report Gwet's AC1 or Krippendorff's alpha alongside the counts.",
    );
    expect(describeKappa(0.3, { prevalence: 0.95 }).notes[1]).toMatch(/the kappa paradox/);
    expect(describeKappa(0.3, { prevalence: 0.5 }).notes).toHaveLength(1);
    expect(describeKappa(0.3, { prevalence: null }).notes).toHaveLength(1);
    // A code nobody used has no kappa paradox to warn of: its prevalence note says what there is to say.
    expect(describeKappa(0.3, { prevalence: 0 }).notes).toHaveLength(1);
  });

  it('reads κ = 0 as no agreement beyond chance, not as slight agreement', () => {
    expect(describeKappa(0)).toMatchObject({ band: 'none beyond chance', tone: 'poor', text: 'κ = 0.000: no agreement beyond chance.' });
    expect(describeKappa(-0.0001).text).toBe('κ = 0.000: no agreement beyond chance.');
    expect(describeKappa(-0.0001).notes).toHaveLength(1);
    expect(describeKappa(0.001).band).toBe('slight');
    expect(describeAC1(0).text).toBe('AC1 = 0.000: no agreement beyond chance.');
  });
});

describe('prevalence', () => {
  it('says once per code how common it is, and that an unused code is not rare but not used', () => {
    expect(prevalenceNote(0.04)).toBe('The code is rare: present in 4.0% of the values compared.');
    expect(prevalenceNote(0.95)).toBe('The code is nearly always applied: present in 95.0% of the values compared.');
    expect(prevalenceNote(0)).toBe('Not used by either coder: the statistics can only say that the coders agree it is absent.');
    expect(prevalenceNote(0, 3)).toMatch(/^Not used by any coder/);
    expect(prevalenceNote(0.5)).toBeNull();
    expect(prevalenceNote(null)).toBeNull();
    expect([0, 0.04, 0.5, 0.95, null].map((p) => prevalenceFlag(p))).toEqual(['not used by either coder', 'rare', null, 'nearly always applied', null]);
  });

  it('no statistic repeats the prevalence sentence', () => {
    for (const prevalence of [0, 0.03, 0.97]) {
      const notes = [
        ...describeKappa(0.3, { prevalence }).notes,
        ...describeAC1(0.9, { prevalence }).notes,
        ...describePercentAgreement(0.9, { prevalence }).notes,
      ];
      for (const note of notes) expect(note).not.toMatch(/present in|Not used/);
    }
  });
});

describe('other readings', () => {
  it('AC1 and percent agreement warn about rare codes in their own terms', () => {
    expect(describeAC1(0.95, { prevalence: 0.02 }).notes[1]).toMatch(/AC1 stays high when coders agree on the common value/);
    const percent = describePercentAgreement(0.97, { prevalence: 0.03 });
    expect(percent.text).toBe('Coders agreed on 97.0% of the units they shared.');
    expect(percent.notes[0]).toMatch(/does not allow for agreement by chance/);
    expect(percent.notes[1]).toMatch(/^Coders who never agree on where the code applies/);
  });

  it('reads undefined statistics with advice for the reason', () => {
    const reading = describeUndefined({ undefined: "Cohen's kappa is undefined: …", reason: 'one-category' });
    expect(reading).toMatchObject({ band: 'undefined', tone: 'none', text: "Cohen's kappa is undefined: …" });
    expect(reading.notes[0]).toMatch(/report the counts/);
  });

  it('describeStatistic dispatches on the statistic and on definedness', () => {
    expect(describeStatistic('krippendorffAlpha', { value: 0.9 }).band).toBe('reliable');
    expect(describeStatistic('scottPi', { value: 0.5 }).text).toMatch(/^π = 0.500/);
    expect(describeStatistic('fleissKappa', { value: 0.5 }).text).toMatch(/^κ = 0.500/);
    expect(describeStatistic('gwetAC1', { value: 0.5 }).text).toMatch(/^AC1 = 0.500/);
    expect(describeStatistic('percentAgreement', { value: 0.5 }).band).toBe('50.0% agreement');
    expect(describeStatistic('cohenKappa', { undefined: 'x', reason: 'no-pairable-units' }).band).toBe('undefined');
  });
});
