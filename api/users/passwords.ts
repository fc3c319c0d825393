import crypto from "node:crypto";
import fs from "node:fs";
import { promisify } from "node:util";
import type { FieldError } from "../core/errors";
import { projectFile } from "../core/project-files";

/**
 * Password hashes: scrypt from node:crypto with a per-user 16-byte salt; the cost parameters are
 * stored with each hash ("scrypt$N$r$p$salt$hash", base64), so that they can be raised later and
 * old hashes still verify. Comparison is in constant time.
 */
const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;
const KEY_BYTES = 32;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function options(N: number, r: number, p: number): crypto.ScryptOptions {
  return { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
}

export async function hashPassword(password: string, costLog2: number): Promise<string> {
  const N = 2 ** costLog2;
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize("NFC"), salt, KEY_BYTES, options(N, BLOCK_SIZE, PARALLELISM));
  return `scrypt$${N}$${BLOCK_SIZE}$${PARALLELISM}$${salt.toString("base64")}$${key.toString("base64")}`;
}

let dummyHash: Promise<string> | undefined;

/**
 * Whether the password matches the stored hash. With no hash (an unknown username, a user who
 * never had a password) a dummy hash of the same cost is checked, so that the answer takes the
 * same time and says nothing about which usernames exist.
 */
export async function verifyPassword(password: string, stored: string | null, costLog2: number): Promise<boolean> {
  if (stored === null) {
    dummyHash ??= hashPassword(crypto.randomBytes(16).toString("hex"), costLog2);
    await verifyAgainst(password, await dummyHash);
    return false;
  }
  return verifyAgainst(password, stored);
}

async function verifyAgainst(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt") throw new Error("unknown password hash scheme");
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password.normalize("NFC"), Buffer.from(salt, "base64"), expected.length, options(Number(n), Number(r), Number(p)));
  return crypto.timingSafeEqual(actual, expected);
}

/** A one-time password an admin hands over: 4 groups of 4 from an alphabet without look-alikes. */
export function oneTimePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKMNPQRSTUVWXYZ23456789";
  const groups = Array.from({ length: 4 }, () => Array.from(crypto.randomBytes(4), (b) => alphabet[b % alphabet.length]).join(""));
  return groups.join("-");
}

export const MIN_PASSWORD_LENGTH = 10;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const file = projectFile("data", "common-passwords.txt");
    common = new Set(fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "" && !l.startsWith("#")));
  }
  return common;
}

/** The policy for a new password: at least 10 characters, not the username, not a common password. */
export function passwordProblems(password: string, username: string, path = "body.newPassword"): FieldError[] {
  const lower = password.normalize("NFKC").toLowerCase();
  if ([...password].length < MIN_PASSWORD_LENGTH) return [{ path, message: `at least ${MIN_PASSWORD_LENGTH} characters` }];
  if (lower.includes(username.toLowerCase())) return [{ path, message: "must not contain the username" }];
  if (commonPasswords().has(lower)) return [{ path, message: "too common: it is among the passwords people choose most" }];
  return [];
}
