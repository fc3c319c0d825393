import fc from "fast-check";
import { StatementError } from "../../api/statements/statement-errors";
import { decodeStatementText, encodeGb18030, explainMojibake } from "../../api/statements/text-encoding";

const HEADER = "交易日期,摘要,对方户名,贷方发生额（收入）";

function refusal(bytes: Uint8Array): StatementError {
  try {
    decodeStatementText(bytes);
  } catch (err) {
    if (err instanceof StatementError) return err;
    throw err;
  }
  throw new Error("expected the bytes to be refused");
}

describe("which encoding a CSV statement is in", () => {
  test("UTF-8 without a BOM", () => {
    expect(decodeStatementText(Buffer.from(HEADER, "utf8"))).toEqual({ text: HEADER, encoding: "utf-8", bom: false });
  });

  test("UTF-8 with a BOM: the BOM is not part of the text", () => {
    expect(decodeStatementText(Buffer.from("\uFEFF" + HEADER, "utf8"))).toEqual({ text: HEADER, encoding: "utf-8", bom: true });
  });

  test("GBK bytes (as Chinese banks export) are read as GB18030", () => {
    const gbk = Buffer.from("bdbbd2d7c8d5c6da", "hex"); // 交易日期 in GBK, written by hand
    expect(decodeStatementText(gbk)).toEqual({ text: "交易日期", encoding: "gb18030", bom: false });
  });

  test("a GBK file opened as UTF-8 by mistake and saved (replacement characters) is refused, naming the line", () => {
    const mangled = Buffer.from("账号：1\n" + "\uFFFD\uFFFD\uFFFD,摘要\n", "utf8");
    const err = refusal(mangled);
    expect(err.reason).toBe("bad_encoding");
    expect(err.extra.errors).toEqual([{ path: "file.line.2", message: "replacement character U+FFFD" }]);
  });

  test("UTF-8 with a few broken bytes is refused, not decoded as GBK into other characters", () => {
    const good = Buffer.from(HEADER.repeat(5), "utf8");
    const damaged = Buffer.concat([good.subarray(0, 10), Buffer.from([0xff]), good.subarray(10)]);
    expect(refusal(damaged).reason).toBe("bad_encoding");
  });

  test("bytes that are neither UTF-8 nor GB18030 are refused", () => {
    expect(refusal(Buffer.from([0x41, 0x81, 0x20, 0x42])).reason).toBe("bad_encoding");
  });

  test("UTF-16 is refused with a clear reason", () => {
    expect(refusal(Buffer.from("\uFEFF交易", "utf16le")).reason).toBe("unsupported_format");
  });
});

describe("GB18030 encoder (the inverse of Node's decoder)", () => {
  const decoder = new TextDecoder("gb18030", { fatal: true });

  test("a character the decoder never produces cannot be encoded, and says so", () => {
    expect(() => encodeGb18030("\uE5E5")).toThrow(/U\+E5E5 has no GB18030 form/);
  });

  test("encodes GBK characters in two bytes, as a GBK file has them", () => {
    expect(encodeGb18030("交易日期").toString("hex")).toBe("bdbbd2d7c8d5c6da");
    expect(encodeGb18030("A1,（）").toString("hex")).toBe("41312ca3a8a3a9");
  });

  test("every string of BMP and supplementary characters survives encode → decode", () => {
    const char = fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0x4e00, max: 0x9fa5 }),
      fc.integer({ min: 0x80, max: 0xd7ff }),
      fc.integer({ min: 0xf900, max: 0xfffc }), // not the private-use area: GB18030-2022 moved 18 of its characters
      fc.integer({ min: 0x10000, max: 0x10ffff }),
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (cps) => {
        const s = String.fromCodePoint(...cps);
        expect(decoder.decode(encodeGb18030(s))).toBe(s);
      }),
    );
  });
});

describe("explaining mojibake", () => {
  const looksRight = (t: string) => t.includes("交易日期");

  test("UTF-8 bytes read as GBK and saved again", () => {
    // Most such files also hold U+FFFD (a UTF-8 character split across GBK pairs) and are refused
    // for that already; this one came out clean, and is recognised by undoing the accident.
    const mojibake = new TextDecoder("gb18030").decode(Buffer.from("交易日期,摘要,对方户名", "utf8"));
    expect(mojibake).not.toContain("\uFFFD");
    expect(mojibake).not.toContain("交易日期");
    expect(explainMojibake(mojibake, looksRight)).toMatch(/UTF-8 text that was read as GBK/);
  });

  test("UTF-8 bytes read as Latin-1 and saved again", () => {
    const mojibake = Buffer.from(HEADER, "utf8").toString("latin1");
    expect(explainMojibake(mojibake, looksRight)).toMatch(/UTF-8 text that was read as Latin-1/);
  });

  test("GBK bytes read as Latin-1 and saved again", () => {
    const mojibake = encodeGb18030(HEADER).toString("latin1");
    expect(explainMojibake(mojibake, looksRight)).toMatch(/GBK text that was read as Latin-1/);
  });

  test("a text that is simply in another layout is not called mojibake", () => {
    expect(explainMojibake("日期,金额,备注\n2024-03-11,1.00,x", looksRight)).toBeNull();
  });
});
