const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// 13-19 digits, optionally grouped by spaces or dashes, as card numbers are written.
const CARD_CANDIDATE = /\d(?:[ -]?\d){12,18}/g;
const IBAN_CANDIDATE = /[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    rest = value >= 10 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest === 1;
}

/** Whether a value contains something that looks like an e-mail address, a card number (Luhn) or an IBAN. */
export function looksLikePii(text: string): boolean {
  if (text.includes('@') && EMAIL.test(text)) return true;
  // Candidates are greedy ("DE89... please", "4111... 12"): any valid prefix counts.
  for (const match of text.matchAll(CARD_CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, '');
    for (let n = 13; n <= digits.length; n++) if (luhnValid(digits.slice(0, n))) return true;
  }
  for (const match of text.matchAll(IBAN_CANDIDATE)) {
    const compact = match[0].replace(/ /g, '');
    for (let n = 15; n <= compact.length; n++) if (ibanValid(compact.slice(0, n))) return true;
  }
  return false;
}

/** The sample text for a value, or undefined when it must not be sampled. */
export function sampleText(value: unknown, maxLength = 200): string | undefined {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined || text.length === 0 || looksLikePii(text)) return undefined;
  return text.length > maxLength ? text.slice(0, maxLength) : text;
}
