/**
 * A case's virtual account number (一案一账号): the court's prefix (digits the bank assigns to the
 * court's master account for its sub-accounts, a court setting), the case's serial zero-padded to
 * a fixed width, and two check digits.
 *
 * The check digits are ISO 7064 MOD 97-10, as in the IBAN: the whole number read as an integer is
 * ≡ 1 (mod 97). We chose it over Luhn because payers type this number by hand into a phone or a
 * bank counter's form, and the two errors people make most are one wrong digit and two
 * neighbouring digits swapped. MOD 97-10 catches every one of both (97 is a prime larger than any
 * digit difference, and a swap changes the value by 9·(a−b)·10^k, which 97 never divides), and
 * most twin and jump errors too. Luhn catches every single wrong digit but misses the swap 09↔90,
 * and a wrong account number here sends a debtor's payment to unidentified funds, or to another
 * case. The cost is one digit more.
 */

export const VIRTUAL_ACCOUNT_SERIAL_DIGITS = 8;
/** Bank sub-account numbers are at most this long in the banks' 一案一账号 services we know of. */
export const VIRTUAL_ACCOUNT_MAX_LENGTH = 32;

export function makeVirtualAccountNumber(prefix: string, serial: number, options: { serialDigits?: number } = {}): string {
  const serialDigits = options.serialDigits ?? VIRTUAL_ACCOUNT_SERIAL_DIGITS;
  if (!/^\d{1,20}$/.test(prefix)) throw new RangeError(`a virtual account prefix is 1 to 20 digits, not "${prefix}"`);
  if (!Number.isSafeInteger(serial) || serial < 1) throw new RangeError(`a case serial is a positive whole number, not ${serial}`);
  if (String(serial).length > serialDigits) throw new RangeError(`serial ${serial} does not fit in ${serialDigits} digits`);
  const body = prefix + String(serial).padStart(serialDigits, "0");
  if (body.length + 2 > VIRTUAL_ACCOUNT_MAX_LENGTH) throw new RangeError(`a virtual account number is at most ${VIRTUAL_ACCOUNT_MAX_LENGTH} digits`);
  return body + mod97CheckDigits(body);
}

export function isValidVirtualAccountNumber(s: string): boolean {
  return /^\d{3,32}$/.test(s) && mod97(s) === 1;
}

/** ISO 7064 MOD 97-10: the two digits that make body + digits ≡ 1 (mod 97). */
export function mod97CheckDigits(body: string): string {
  return String(98 - mod97(body + "00")).padStart(2, "0");
}

/** A digit string modulo 97, a digit at a time (no number precision limit, no BigInt needed). */
function mod97(digits: string): number {
  let r = 0;
  for (const d of digits) r = (r * 10 + (d.charCodeAt(0) - 48)) % 97;
  return r;
}
