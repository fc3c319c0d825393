import ExcelJS from "exceljs";
import type { Test } from "supertest";

/** Sends the request, reads the whole XLSX body and opens it as a workbook. */
export async function fetchWorkbook(req: Test): Promise<{ status: number; contentType: string; workbook: ExcelJS.Workbook }> {
  const res = await req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on("data", (d: Buffer) => chunks.push(d));
    r.on("end", () => cb(null, Buffer.concat(chunks)));
  });
  const workbook = new ExcelJS.Workbook();
  if (res.status === 200) await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
  return { status: res.status, contentType: String(res.headers["content-type"]), workbook };
}
