/**
 * Contact details have no place in a decision record (privacy by design): free text that looks
 * like an email address or a phone number is refused wherever the bot records it.
 *
 * Checked on the NFKC form, so full-width digits and ＠ count too; a phone number may have up to two
 * spaces, hyphens or brackets between digits, as in "(01632) 960123".
 */
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const PHONE = /(?:\+?\p{Nd}[\s()-]{0,2}){9,}/u;

export type ContactDetail = 'email address' | 'phone number';

/** The kind of contact detail found in the text, if any. */
export function findContactDetail(text: string): ContactDetail | undefined {
  const normalised = text.normalize('NFKC');
  if (EMAIL.test(normalised)) return 'email address';
  if (PHONE.test(normalised)) return 'phone number';
  return undefined;
}
