import { StatementError } from "./statement-errors";

/**
 * The text of a CSV statement. Chinese banks export UTF-8 (often with a BOM) or GBK/GB18030; the
 * file says nothing of which. The rule: a BOM, or bytes that are valid UTF-8, mean UTF-8 (GBK text
 * is practically never valid UTF-8); anything else is decoded as GB18030, strictly. Whatever
 * cannot be decoded without replacement characters is refused, never half-read: a mangled name
 * or remark must not become a receipt.
 *
 * GB18030 is a superset of GBK and GB2312, and Node's `TextDecoder("gb18030")` (full ICU) decodes
 * all three. Node has no GB18030 *encoder*; the one below is the exact inverse of that decoder,
 * built from it at first use, so that what we write for tests and the demo is byte for byte what
 * the decoder reads back. No dependency is needed.
 */

export type TextEncodingName = "utf-8" | "gb18030";

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  bom: boolean;
}

export function decodeStatementText(bytes: Uint8Array): DecodedText {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new StatementError("unsupported_format", "The file is UTF-16 text; save it as CSV in UTF-8 or GBK", [
      { path: "file", message: "UTF-16 byte order mark" },
    ]);
  }
  const bom = startsWith(bytes, [0xef, 0xbb, 0xbf]);
  const body = bom ? bytes.subarray(3) : bytes;
  const utf8 = tryDecode("utf-8", body);
  if (utf8 !== null) return checked({ text: utf8, encoding: "utf-8", bom });
  if (bom || looksLikeDamagedUtf8(body)) {
    throw encodingError("The file is UTF-8 with bytes that are not UTF-8 (damaged, or two encodings mixed)");
  }
  const gb = tryDecode("gb18030", body);
  if (gb === null) throw encodingError("The file is neither UTF-8 nor GB18030/GBK text");
  return checked({ text: gb, encoding: "gb18030", bom: false });
}

function checked(decoded: DecodedText): DecodedText {
  const at = decoded.text.indexOf("\uFFFD");
  if (at >= 0) {
    const line = decoded.text.slice(0, at).split(/\r\n|\r|\n/).length;
    throw new StatementError("bad_encoding", "The file holds replacement characters (�): it was converted with the wrong encoding at some point", [
      { path: `file.line.${line}`, message: "replacement character U+FFFD" },
    ]);
  }
  return decoded;
}

function tryDecode(encoding: TextEncodingName, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Mostly valid UTF-8 with a few broken bytes is a damaged UTF-8 file, not GBK: decoding it as
 * GB18030 would "succeed" and turn every Chinese character into another one.
 */
function looksLikeDamagedUtf8(bytes: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return valid > 0 && invalid * 10 <= valid;
}

function encodingError(detail: string): StatementError {
  return new StatementError("bad_encoding", detail, [{ path: "file", message: detail }]);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * When the header is not found, was the text mangled on its way? Undo the three usual accidents
 * and look for the header again: UTF-8 bytes read as GBK and saved again ("浜ゆ槗鏃ユ湡" for
 * 交易日期), UTF-8 read as Latin-1/Windows-1252 ("äº¤æ˜“"), GBK read as Latin-1 ("½»Ò×ÈÕÆÚ").
 * Answers what happened, or null.
 */
export function explainMojibake(text: string, looksRight: (candidate: string) => boolean): string | null {
  const sample = text.slice(0, 20_000);
  const asGbk = tryEncodeGb18030(sample);
  if (asGbk) {
    const undone = tryDecodeLenient("utf-8", asGbk);
    if (undone !== null && looksRight(undone)) return "UTF-8 text that was read as GBK and saved again (mojibake)";
  }
  if ([...sample].every((c) => c.charCodeAt(0) <= 0xff)) {
    const bytes = Uint8Array.from([...sample].map((c) => c.charCodeAt(0)));
    for (const enc of ["utf-8", "gb18030"] as const) {
      const undone = tryDecodeLenient(enc, bytes);
      if (undone !== null && looksRight(undone)) return `${enc === "utf-8" ? "UTF-8" : "GBK"} text that was read as Latin-1 and saved again (mojibake)`;
    }
  }
  return null;
}

/** The sample may end inside a character: decode leniently, the header is at the start anyway. */
function tryDecodeLenient(encoding: TextEncodingName, bytes: Uint8Array): string | null {
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  return bad <= 2 ? text : null;
}

// ---- GB18030 encoder, the inverse of Node's decoder --------------------------------------------

let encodeTable: Map<number, number[]> | undefined;

function table(): Map<number, number[]> {
  if (encodeTable) return encodeTable;
  const decoder = new TextDecoder("gb18030");
  const map = new Map<number, number[]>();
  const add = (sequences: number[][]) => {
    const text = decoder.decode(Uint8Array.from(sequences.flat()));
    const chars = [...text];
    if (chars.length !== sequences.length) throw new Error("GB18030 table: the decoder did not answer one character per sequence");
    chars.forEach((c, i) => {
      const cp = c.codePointAt(0)!;
      if (cp !== 0xfffd && !map.has(cp)) map.set(cp, sequences[i]);
    });
  };
  const twoByte: number[][] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) twoByte.push([lead, trail]);
  }
  add(twoByte); // GBK's two-byte table first: the shortest form wins, as in every GBK file
  const fourByte: number[][] = [];
  for (let p = 0; p < 39420; p++) fourByte.push(fourBytes(p)); // the BMP ranges
  add(fourByte);
  encodeTable = map;
  return map;
}

function fourBytes(pointer: number): number[] {
  return [0x81 + Math.floor(pointer / 12600), 0x30 + (Math.floor(pointer / 1260) % 10), 0x81 + (Math.floor(pointer / 10) % 126), 0x30 + (pointer % 10)];
}

function tryEncodeGb18030(text: string): Uint8Array | null {
  try {
    return encodeGb18030(text);
  } catch {
    return null;
  }
}

/** GB18030 bytes of a string (ASCII as is, GBK's two bytes where it has them, four bytes otherwise). */
export function encodeGb18030(text: string): Buffer {
  const map = table();
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp >= 0x10000) out.push(...fourBytes(189000 + (cp - 0x10000)));
    else {
      const bytes = map.get(cp);
      if (!bytes) throw new RangeError(`U+${cp.toString(16).toUpperCase()} has no GB18030 form`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}
