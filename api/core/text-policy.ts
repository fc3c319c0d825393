import type { FieldError } from "./errors";

/**
 * One text policy for every string an operation receives (path, query, body), applied by the
 * runner before any schema: a NUL (PostgreSQL text cannot hold it), an unpaired surrogate (not
 * text at all), U+FFFD (text that was decoded wrongly on its way here) and the bidi controls
 * (which make one name or number display as another) are refused with a 400 naming the field.
 * Identifiers additionally lose zero-width characters and are NFKC-normalised by their own
 * schemas (`normaliseIdentifier`).
 */
const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const REPLACEMENT = /\ufffd/;
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function problemOf(s: string): string | null {
  if (NUL.test(s)) return "contains a NUL character";
  if (LONE_SURROGATE.test(s)) return "contains an unpaired surrogate: not valid text";
  if (REPLACEMENT.test(s)) return "contains U+FFFD: the text was garbled by a wrong encoding on its way here";
  if (BIDI_CONTROLS.test(s)) return "contains a bidirectional control character, which can make text display as something else";
  return null;
}

const MAX_REPORTED = 20;

/** Every string (and object key) in a parsed request part that breaks the policy, with its path. */
export function unsafeText(value: unknown, path: string, found: FieldError[] = []): FieldError[] {
  if (found.length >= MAX_REPORTED) return found;
  if (typeof value === "string") {
    const problem = problemOf(value);
    if (problem) found.push({ path, message: problem });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => unsafeText(v, `${path}.${i}`, found));
  } else if (value instanceof Uint8Array) {
    return found; // an uploaded file's bytes: its own parser judges them (a statement refuses mojibake)
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = problemOf(k);
      if (keyProblem) found.push({ path: `${path}.${k.replace(/[^\x20-\x7e]/g, "?")}`, message: `field name ${keyProblem}` });
      else unsafeText(v, `${path}.${k}`, found);
    }
  }
  return found;
}

const ZERO_WIDTH = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/g;

/**
 * An identifier as the system compares it (case numbers, id numbers, account numbers): NFKC (so
 * full-width digits and parentheses are plain ones), no zero-width characters, no surrounding blanks.
 */
export function normaliseIdentifier(s: string): string {
  return s.normalize("NFKC").replace(ZERO_WIDTH, "").trim();
}
