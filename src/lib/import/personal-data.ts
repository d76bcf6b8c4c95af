/**
 * Recognising columns that hold personal data: names, email addresses,
 * telephone numbers, postal addresses, IP addresses, locations and dates of birth. The import
 * proposes them as Ignore so they are not shown beside every answer; the user
 * can keep any of them. Judged by the column's name, then by its values.
 */

import type { SourceColumn } from './types';

/** Same as known-columns' normaliseName; not imported, because known-columns imports this module. */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Survey tools' own personal-data fields (Qualtrics IPAddress and location,
 * contact details of any tool), normalised. known-columns counts them among the
 * bookkeeping columns an export brings, so the format note's count stays right;
 * the plan flags them as personal data before it looks for bookkeeping.
 */
export const PERSONAL_DATA_FIELD_NAMES: readonly string[] = [
  'ipaddress',
  'locationlatitude',
  'locationlongitude',
  'email',
  'emailaddress',
  'name',
  'firstname',
  'lastname',
];

/** What kind of personal data a column holds, as the preview names it. */
export type PersonalDataKind = 'Names' | 'Email addresses' | 'Telephone numbers' | 'Postal addresses' | 'IP addresses' | 'Locations' | 'Dates of birth';

/** Column names (after normaliseName) per kind, checked in this order: "emailaddress" and "ipaddress" are not postal addresses. */
const NAME_RULES: [PersonalDataKind, RegExp][] = [
  [
    'Email addresses',
    /^(recipient|your|contact|respondent|participant)?e?mail(address|addr)?\d*$|^(whatis|whats|please(enter|give|provide)?)?youre?mail(address)?$/,
  ],
  ['IP addresses', /^ip(address|addr|v4|v6)?$/],
  ['Locations', /^(location)?(latitude|longitude)$|^(lat|lng|lon|geolocation|geocoordinates|gpscoordinates|gpslocation|coordinates)$/],
  [
    'Telephone numbers',
    /^(recipient|your|contact|home|work|mobile)?(tele)?phone(number|no)?\d*$|^(mobile|cell|cellphone)(phone)?(number|no)?\d*$|^tel\d*$|^(whatis|whats|please(enter|give|provide)?)?your(tele)?phone(number)?$/,
  ],
  [
    'Postal addresses',
    /^(home|postal|mailing|street|your|contact)?address(line)?\d*$|^street(address)?\d*$|^(postcode|postalcode|zip|zipcode)$|^(whatis|whats|please(enter|give|provide)?)?your(home|postal)?address$/,
  ],
  // With a postcode, a date of birth picks out most people; an age is kept as an attribute instead.
  ['Dates of birth', /^(dob|dateofbirth|birthdate|birthday|dateofbirthddmmyyyy|yourdateofbirth|whatisyourdateofbirth)$/],
  [
    'Names',
    /^(recipient|respondent|participant|your|contact)?(first|last|full|given|family|middle|sur)?name$|^name(first|last|full|given|family)$|^(whatis|whats|please(enter|give|provide)?)?your(full|first|last)?name$/,
  ],
];

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[A-Za-z]{2,}$/;
/** 7 to 15 digits with the separators people type; a bare run of digits (an ID, a count) does not count. */
const PHONE = /^(?=(?:\D*\d){7,15}\D*$)(\+\d{1,3}[\s.-]?)?(\(\d{1,5}\)[\s.-]?)?\d{1,5}([\s.-]\d{1,5}){1,4}$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
/**
 * Hex groups joined by colons, with a hex letter, "::" or at least three
 * colons: a time of day ("07:30:00") has two colons and only digits.
 */
const IPV6 = /^(?=.*(::|[a-f]|:.*:.*:))[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i;
/** "07:30", "7:30:00 pm": never an IPv6 address or a telephone number. */
const TIME = /^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s?[ap]m)?$/i;
/** A plain number with at most one decimal separator ("45000.00", "9999999,99"), as in propose-plan: an amount, not a telephone number. */
const PLAIN_NUMBER = /^[-+]?(\d+([.,]\d+)?|[.,]\d+)$/;
/** "14 Rose Cottage St.", "243 Hill Street, Guthrie OK": a house number, words, then a street word. */
const STREET =
  /^\d+[a-z]?,?\s+([\p{L}'.-]+\s+){0,4}(st|street|rd|road|ave|avenue|blvd|boulevard|ln|lane|dr|drive|way|ct|court|pl|place|sq|square|terrace|close|crescent|hwy|highway|cottage|gardens|row|walk|parkway)\b\.?/iu;
const COORDINATES = /^[-+]?\d{1,2}(\.\d+)?\s*[,;]\s*[-+]?\d{1,3}(\.\d+)?$/;

/** Share of the values that must have the shape before a column is judged by its values. */
const VALUE_MIN_SHARE = 0.8;

const VALUE_RULES: [PersonalDataKind, (value: string) => boolean][] = [
  ['Email addresses', (v) => EMAIL.test(v)],
  ['IP addresses', (v) => IPV4.test(v) || (IPV6.test(v) && !TIME.test(v))],
  ['Locations', (v) => COORDINATES.test(v) && isCoordinatePair(v)],
  ['Telephone numbers', (v) => PHONE.test(v) && !PLAIN_NUMBER.test(v) && !DATE_LIKE.test(v) && !TIME.test(v) && !IPV4.test(v)],
  // The first line is enough: REDCap keeps the street and the town on separate lines.
  ['Postal addresses', (v) => STREET.test(v.split('\n', 1)[0].trim())],
];

function isCoordinatePair(value: string): boolean {
  const [lat, lon] = value.split(/[,;]/).map((part) => Number(part.trim()));
  // "3,5" is a decimal comma, not a place: real coordinates carry decimals.
  return value.includes('.') && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

/** The kind of personal data a column's name announces (key, or the label when it is a short name like "What is your email?"). */
export function personalDataByName(column: Pick<SourceColumn, 'key' | 'label'>): PersonalDataKind | undefined {
  for (const text of [column.key, column.label]) {
    const n = normaliseName(text);
    for (const [kind, rule] of NAME_RULES) if (rule.test(n)) return kind;
  }
  return undefined;
}

/**
 * The kind of personal data most values have the shape of (≥ 80 % of the
 * non-blank values given, trimmed). A column of prose where an answer mentions
 * an email or contains a phone number is not flagged: the whole value must be one.
 */
export function personalDataByValues(values: string[]): PersonalDataKind | undefined {
  if (values.length === 0) return undefined;
  for (const [kind, test] of VALUE_RULES) {
    let hits = 0;
    for (const v of values) if (test(v)) hits++;
    if (hits / values.length >= VALUE_MIN_SHARE) return kind;
  }
  return undefined;
}

/** Personal data kind of a column, by name first, then by its (non-blank, trimmed) values. */
export function detectPersonalData(column: Pick<SourceColumn, 'key' | 'label'>, values: string[]): PersonalDataKind | undefined {
  return personalDataByName(column) ?? personalDataByValues(values);
}

/** The preview's reason for a personal-data column proposed as Ignore. */
export function personalDataReason(kind: PersonalDataKind): string {
  return `Personal data (${lowerKind(kind)}): not shown beside answers unless you choose to keep it`;
}

/** "email addresses", "IP addresses": the kind inside a sentence. */
export function lowerKind(kind: PersonalDataKind): string {
  return kind.startsWith('IP ') ? kind : kind.toLowerCase();
}
