/** What may be shown of personal numbers: never the full id or account number. */

/** Keep the first 4 and the last 4 characters: `4311**********1234`. */
export function maskIdNumber(idNumber: string | null): string | null {
  if (idNumber === null) return null;
  if (idNumber.length <= 8) return "*".repeat(Math.max(0, idNumber.length - 2)) + idNumber.slice(-2);
  return idNumber.slice(0, 4) + "*".repeat(idNumber.length - 8) + idNumber.slice(-4);
}

/** Keep the last 4 digits: `****5678`. */
export function maskAccountNumber(accountNumber: string): string {
  return "****" + accountNumber.slice(-4);
}
