import crypto from "node:crypto";

/** Opaque bearer tokens: 32 random bytes, shown once; only their SHA-256 is stored. */
export function newToken(): string {
  return "cef_" + crypto.randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}
