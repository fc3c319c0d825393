import { csvRecord, parseCsv } from "../../api/statements/statement-csv";
import { StatementError } from "../../api/statements/statement-errors";

describe("RFC 4180 CSV", () => {
  test("quoted fields hold commas, doubled quotes and line breaks; records keep the line they start on", () => {
    const text = 'a,"b,c","say ""hi"""\r\n"multi\nline",x,\r\nlast,"",z';
    expect(parseCsv(text)).toEqual([
      { lineNo: 1, cells: ["a", "b,c", 'say "hi"'] },
      { lineNo: 2, cells: ["multi\nline", "x", ""] },
      { lineNo: 4, cells: ["last", "", "z"] },
    ]);
  });

  test("LF, CR and CRLF all end a record; a blank line is an empty record", () => {
    expect(parseCsv("a\nb\rc\r\n\r\nd").map((r) => [r.lineNo, r.cells])).toEqual([
      [1, ["a"]],
      [2, ["b"]],
      [3, ["c"]],
      [4, [""]],
      [5, ["d"]],
    ]);
  });

  test("a quote inside an unquoted field is a character (it moves no column)", () => {
    expect(parseCsv('5"寸,b')[0].cells).toEqual(['5"寸', "b"]);
  });

  test("a quote never closed is refused with its line", () => {
    expect(() => parseCsv('a,b\nc,"open\nstill open')).toThrow(StatementError);
    try {
      parseCsv('a,b\nc,"open\nstill open');
    } catch (err) {
      expect((err as StatementError).reason).toBe("bad_file");
      expect((err as StatementError).extra.errors).toEqual([{ path: "file.line.2", message: "a quoted field is never closed" }]);
    }
  });

  test("text after a closing quote is refused", () => {
    expect(() => parseCsv('"abc"def,x')).toThrow(/text follows a closing quote/);
  });

  test("writing and reading back gives the same fields", () => {
    const fields = ["plain", "with,comma", 'with "quote"', "two\r\nlines", ""];
    expect(parseCsv(csvRecord(fields))[0].cells).toEqual(fields);
  });
});
