import { describe, expect, it } from 'vitest';
import { detectPersonalData, personalDataByName, personalDataByValues, personalDataReason } from './personal-data';

const byName = (key: string, label = key) => personalDataByName({ key, label });

describe('personalDataByName', () => {
  it.each([
    ['Name', 'Names'],
    ['First name', 'Names'],
    ['last_name', 'Names'],
    ['name_first', 'Names'],
    ['Full Name', 'Names'],
    ['RecipientFirstName', 'Names'],
    ['Email', 'Email addresses'],
    ['E-mail address', 'Email addresses'],
    ['Email Address', 'Email addresses'],
    ['RecipientEmail', 'Email addresses'],
    ['What is your email?', 'Email addresses'],
    ['Phone', 'Telephone numbers'],
    ['telephone_1', 'Telephone numbers'],
    ['Mobile number', 'Telephone numbers'],
    ['address', 'Postal addresses'],
    ['Street address', 'Postal addresses'],
    ['Postcode', 'Postal addresses'],
    ['ZIP', 'Postal addresses'],
    ['IPAddress', 'IP addresses'],
    ['IP Address', 'IP addresses'],
    ['LocationLatitude', 'Locations'],
    ['Longitude', 'Locations'],
  ])('%s → %s', (key, kind) => {
    expect(byName(key)).toBe(kind);
  });

  it('knows a date of birth by its usual names, not an age', () => {
    for (const key of ['dob', 'DOB', 'date_of_birth', 'Date of birth', 'birthdate'])
      expect(personalDataByName({ key, label: key }), key).toBe('Dates of birth');
    for (const key of ['age', 'birth_order', 'date']) expect(personalDataByName({ key, label: key }), key).toBeUndefined();
  });

  it('reads the label too (legacy Qualtrics keys are V1…V10)', () => {
    expect(byName('V5', 'EmailAddress')).toBe('Email addresses');
    expect(byName('V3', 'Name')).toBe('Names');
  });

  it.each([
    'Name of your school',
    'Company name?',
    'What did you think of the emails we sent?',
    'Address the main concern',
    'Ship',
    'timeline',
    'Phone use per day (hours)',
  ])('%s → not personal', (key) => {
    expect(byName(key)).toBeUndefined();
  });
});

describe('personalDataByValues', () => {
  it('recognises emails, phones, IPs, street addresses and coordinates', () => {
    expect(personalDataByValues(['nutty@mouse.com', 'mw@mwood.net', 'a.b@example.co.uk'])).toBe('Email addresses');
    expect(personalDataByValues(['(405) 321-1111', '+44 20 7946 0958', '555-123-4567'])).toBe('Telephone numbers');
    expect(personalDataByValues(['192.0.2.1', '2001:db8::1', '10.0.0.255'])).toBe('IP addresses');
    expect(personalDataByValues(['14 Rose Cottage St.\nKenning UK', '243 Hill Street, Guthrie OK 73402', '7 Elm Rd'])).toBe('Postal addresses');
    expect(personalDataByValues(['47.1151, 7.2316', '-33.8688,151.2093'])).toBe('Locations');
  });

  it('needs most values to have the shape, each value whole', () => {
    // Answers that mention an email, or contain one phone number in prose, are answers.
    expect(
      personalDataByValues([
        'I prefer email to phone calls.',
        'Call me on 555-123-4567 if you want to talk about the course, it was very useful.',
        'Write to me at someone@example.org, I have more to say about the workshop.',
        'No comment',
      ]),
    ).toBeUndefined();
    expect(personalDataByValues(['a@b.com', 'no', 'none', 'n/a', 'x'])).toBeUndefined();
  });

  it('does not take numbers, dates, codes or decimal commas for contact details', () => {
    expect(personalDataByValues(['24', '54', '67'])).toBeUndefined();
    expect(personalDataByValues(['4057777777', '4051111111'])).toBeUndefined();
    expect(personalDataByValues(['2024-01-05', '2024-02-11 10:15'])).toBeUndefined();
    expect(personalDataByValues(['12/01/2024', '03/02/2023'])).toBeUndefined();
    expect(personalDataByValues(['3,5', '2,25'])).toBeUndefined();
    expect(personalDataByValues(['R_2YPOQ602ER1jkf1', 'R_9mZ86nFH0t9KX6l'])).toBeUndefined();
    expect(personalDataByValues([])).toBeUndefined();
  });

  it('does not take times of day for IPv6 addresses, or amounts of money for telephone numbers', () => {
    expect(personalDataByValues(['07:30:00', '12:45:10', '23:59:59'])).toBeUndefined();
    expect(personalDataByValues(['07:30', '12:45', '9:05'])).toBeUndefined();
    expect(personalDataByValues(['45000.00', '1250000.50', '9999999,99'])).toBeUndefined();
    expect(personalDataByValues(['-1234567.89', '+7654321.0'])).toBeUndefined();
  });

  it('still flags real IPv6 addresses and telephone numbers', () => {
    const ipv6 = ['2001:db8::1', 'fe80::1ff:fe23:4567:890a', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '::1', '1:2:3:4:5:6:7:8'];
    for (const v of ipv6) expect(personalDataByValues([v]), v).toBe('IP addresses');
    const phones = ['555-123-4567', '(405) 321-1111', '+44 20 7946 0958', '020 7946 0958', '555.123.4567', '+1 555 123 4567'];
    for (const v of phones) expect(personalDataByValues([v]), v).toBe('Telephone numbers');
  });
});

describe('detectPersonalData', () => {
  it('takes the name first, then the values', () => {
    expect(detectPersonalData({ key: 'Email', label: 'Email' }, ['anonymous'])).toBe('Email addresses');
    expect(detectPersonalData({ key: 'Contact', label: 'Contact' }, ['x@y.org', 'z@y.org'])).toBe('Email addresses');
    expect(detectPersonalData({ key: 'Feedback', label: 'Feedback' }, ['Fine.', 'Good.'])).toBeUndefined();
  });

  it('explains the flag in plain words', () => {
    expect(personalDataReason('Email addresses')).toBe('Personal data (email addresses): not shown beside answers unless you choose to keep it');
    expect(personalDataReason('IP addresses')).toBe('Personal data (IP addresses): not shown beside answers unless you choose to keep it');
  });
});
