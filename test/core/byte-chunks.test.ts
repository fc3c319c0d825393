import { ByteChunks } from "../../api/core/byte-chunks";

describe("text gathered into byte chunks (large exports, issue 16)", () => {
  test("what comes out, chunk after chunk, is exactly the UTF-8 of what went in: Chinese, emoji, a text larger than the buffer", async () => {
    const chunks: Buffer[] = [];
    const gather = new ByteChunks(async (c) => void chunks.push(c), 64);
    const texts = ["案号,金额\r\n", "(2024)湘1129执1号,100.00\r\n", "😀😀😀", "x".repeat(200), "", "末行\r\n"];
    for (let i = 0; i < 50; i++) texts.push(`行${i},${"张三李四".repeat(i % 7)}\r\n`);
    for (const t of texts) await gather.add(t);
    await gather.flush();
    expect(Buffer.concat(chunks).toString("utf8")).toBe(texts.join(""));
    // A chunk fits the buffer, or is one text too large for it, handed on by itself.
    expect(chunks.filter((c) => c.length > 64 && !texts.includes(c.toString("utf8")))).toEqual([]);
    expect(chunks.length).toBeGreaterThan(10);
  });

  test("a chunk handed on is a copy: writing on does not change what was handed on before", async () => {
    const chunks: Buffer[] = [];
    const gather = new ByteChunks(async (c) => void chunks.push(c), 8);
    await gather.add("aaaaaaa");
    await gather.add("bbbbbbb");
    await gather.flush();
    expect(chunks.map((c) => c.toString())).toEqual(["aaaaaaa", "bbbbbbb"]);
  });
});
