import { isIPv6 } from 'node:net';

/** A kind of personal data (or secret) found in text. */
export type PersonalDataKind = 'EMAIL' | 'PHONE' | 'ID_NUMBER' | 'BANK_CARD' | 'IBAN' | 'IP' | 'SECRET';

/** One finding: where it is and what it is. */
export interface PersonalDataFinding {
  /** Its kind (the placeholder's name). */
  kind: PersonalDataKind;
  /** Start offset in the text. */
  start: number;
  /** The text found. */
  value: string;
}

/** Kinds never put back into an answer: a secret stays a placeholder even for the person who sent it. */
export const secretKinds: ReadonlySet<PersonalDataKind> = new Set(['SECRET']);

/** The sum of digits Luhn's check asks for (bank cards). */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idCheckCharacters = '10X98765432';

/** A mainland resident ID number: 18 characters, a plausible birth date, and its ISO 7064 check character. */
function isResidentId(value: string): boolean {
  const id = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const sum = idWeights.reduce((total, weight, index) => total + weight * Number(id[index]), 0);
  return idCheckCharacters[sum % 11] === id[17];
}

/** An IBAN: country, check digits, and the mod-97 check over the rearranged number. */
function isIban(value: string): boolean {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = /\d/.test(character) ? character : String(character.charCodeAt(0) - 55);
    for (const digit of code) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function isIpv4(value: string): boolean {
  return value.split('.').every((part) => Number(part) <= 255 && !/^0\d/.test(part));
}

/** A detector: a pattern, and an optional check that the match really is one. */
interface Detector {
  kind: PersonalDataKind;
  pattern: RegExp;
  accept?: (value: string) => boolean;
}

/**
 * The detectors, most specific first: a secret or an ID number is not also read as a phone number. Every
 * pattern has its own digit boundaries, so a number inside a longer number is not found.
 */
const detectors: Detector[] = [
  { kind: 'SECRET', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/g },
  { kind: 'SECRET', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { kind: 'SECRET', pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/g },
  { kind: 'SECRET', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  {
    kind: 'SECRET',
    pattern:
      /\b(?:aws_secret_access_key|secret_access_key|AWS_SECRET_ACCESS_KEY)\s*[=:]\s*["']?[A-Za-z0-9/+=]{40}\b/g,
  },
  { kind: 'SECRET', pattern: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g },
  // Lark/Feishu tenant, user and app access tokens (t-, u-, a- followed by a long id).
  { kind: 'SECRET', pattern: /\b[tua]-[a-z0-9]{2}[A-Za-z0-9_.-]{28,}/g },
  { kind: 'EMAIL', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { kind: 'IBAN', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, accept: isIban },
  { kind: 'ID_NUMBER', pattern: /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, accept: isResidentId },
  {
    kind: 'BANK_CARD',
    pattern: /(?<![0-9A-Za-z])(?:\d[ -]?){12,18}\d(?![0-9A-Za-z])/g,
    accept: (value) => {
      const digits = value.replace(/[ -]/g, '');
      return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits);
    },
  },
  // Mainland mobile numbers (+86 optional), and international numbers written with a leading +.
  { kind: 'PHONE', pattern: /(?<![0-9])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9])/g },
  { kind: 'PHONE', pattern: /(?<![\w+])\+\d{1,3}(?:[ -]?\(?\d{1,4}\)?){2,5}(?![0-9])/g },
  { kind: 'IP', pattern: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/g, accept: isIpv4 },
  {
    kind: 'IP',
    pattern: /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])/g,
    accept: (value) => isIPv6(value),
  },
];

/**
 * The personal data and secrets in a text, in order, none overlapping: email addresses, phone numbers
 * (mainland mobile and international), mainland resident ID numbers (check character verified), bank card
 * numbers (Luhn), IBANs (mod 97), IP addresses, and secrets (Slack, Lark, AWS and OpenAI-style tokens,
 * private key blocks).
 */
export function findPersonalData(text: string): PersonalDataFinding[] {
  const found: PersonalDataFinding[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => taken.some(([from, to]) => start < to && end > from);
  for (const detector of detectors) {
    for (const match of text.matchAll(detector.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (overlaps(start, end) || (detector.accept && !detector.accept(match[0]))) continue;
      found.push({ kind: detector.kind, start, value: match[0] });
      taken.push([start, end]);
    }
  }
  return found.sort((left, right) => left.start - right.start);
}
