import crypto from "node:crypto";
import { normaliseIdentifier } from "./text-policy";

/**
 * A keyed fingerprint (HMAC-SHA-256 under IDENTITY_HASH_KEY) of a personal number: an id number,
 * a unified social credit code, a bank account number. It lets the system find or compare a
 * number without an index or the audit trail holding it. A plain SHA-256 of such a number is no
 * protection at all (an 18-digit id number with a known region and birth date is found by brute
 * force in seconds), so none is ever stored: only this, and only with the key from the environment.
 *
 * The purpose is part of the message, so that an id number's hash and the same digits as an
 * account number's hash differ.
 */
export type KeyedHashPurpose = "id_number" | "account_number";

/** The form a number is compared in: NFKC, no blanks or zero-width characters, upper case (the X of an id number). */
export function normaliseNumber(value: string): string {
  return normaliseIdentifier(value).replace(/[\s-]+/g, "").toUpperCase();
}

export function keyedHash(key: string, purpose: KeyedHashPurpose, value: string): string {
  return crypto.createHmac("sha256", key).update(`${purpose}\n${normaliseNumber(value)}`, "utf8").digest("hex");
}

/** A check value of the key itself, kept in the database to notice that the key has changed. */
export function keyCheck(key: string): string {
  return crypto.createHmac("sha256", key).update("keyed-hash key check", "utf8").digest("hex");
}
