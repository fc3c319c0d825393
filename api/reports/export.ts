import { createReadStream, promises as fs } from "node:fs";
import path from "node:path";
import { pipeline, Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { FileHandle } from "node:fs/promises";
import type { Knex } from "knex";
import { csvLine, UTF8_BOM } from "../core/csv";
import { XlsxStreamWriter } from "../core/xlsx-writer";
import { reply, type Reply, type StreamLimits } from "../core/reply";
import { isReadSnapshot } from "../core/read-snapshot";

/**
 * A report reads one consistent snapshot (repeatable read, read-only), and sorts hundreds of
 * thousands of rows: give it room to sort in memory.
 */
export const REPORT_WORK_MEM = "64MB";

export async function inReportTransaction<T>(knex: Knex, work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  // A user's read already runs in a read-only snapshot (the runner's, db/transaction.ts).
  const inSnapshot = isReadSnapshot(knex);
  return knex.transaction(async (tx) => {
    if (!inSnapshot) await tx.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    await tx.raw(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
    return work(tx);
  });
}

/**
 * Rows of a report query, a batch at a time, through a server-side cursor: an export of a
 * million payouts holds one batch in memory, on PostgreSQL and on PGlite alike.
 */
export async function* cursorRows<T>(knex: Knex, sql: string, bindings: Record<string, unknown>, batchSize = 2000): AsyncGenerator<T[]> {
  const inSnapshot = isReadSnapshot(knex);
  const tx = await knex.transaction();
  let finished = false;
  try {
    if (!inSnapshot) await tx.raw("SET TRANSACTION READ ONLY");
    await tx.raw(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
    await tx.raw(`DECLARE report_rows NO SCROLL CURSOR FOR ${sql}`, bindings as Knex.ValueDict);
    for (;;) {
      const { rows } = await tx.raw<{ rows: T[] }>(`FETCH ${batchSize} FROM report_rows`);
      if (rows.length === 0) break;
      yield rows;
    }
    finished = true;
    await tx.commit();
  } finally {
    if (!finished) await tx.rollback().catch(() => undefined);
  }
}

/**
 * Issue 17: an export is never written to the client while its transaction is open. The rows are
 * read from one snapshot in bounded pages into a spool (memory up to `limits.memoryBytes`, then a
 * private temporary file), the transaction ends, and only then is the spool sent. A client that
 * goes away while the spool fills stops the reading (cursor closed, transaction rolled back); a
 * client that takes no byte for `limits.stallTimeoutMs` while it is sent loses its connection.
 * Either way the spool is removed. The connection (the only one, on PGlite) is held for as long as
 * the database takes to produce the rows, never for as long as a client takes to read them.
 */
export class ExportSpool extends Writable {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private dir: string | undefined;
  private file: FileHandle | undefined;
  private filePath: string | undefined;

  constructor(private readonly limits: Pick<StreamLimits, "memoryBytes" | "spoolDir">) {
    super();
  }

  get bytes(): number {
    return this.size;
  }

  get onDisk(): boolean {
    return this.filePath !== undefined;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.append(chunk).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    const file = this.file;
    this.file = undefined;
    if (!file) return done();
    file.close().then(() => done(), done);
  }

  private async append(chunk: Buffer): Promise<void> {
    if (!this.filePath && this.size + chunk.length <= this.limits.memoryBytes) {
      this.chunks.push(chunk);
      this.size += chunk.length;
      return;
    }
    if (!this.filePath) {
      this.dir = await fs.mkdtemp(path.join(this.limits.spoolDir, "cef-export-"));
      this.filePath = path.join(this.dir, "export");
      this.file = await fs.open(this.filePath, "wx", 0o600);
      for (const c of this.chunks.splice(0)) await writeAll(this.file, c);
    }
    await writeAll(this.file!, chunk);
    this.size += chunk.length;
  }

  /** The spooled bytes, once the spool is finished. */
  readable(): Readable {
    return this.filePath ? createReadStream(this.filePath, { highWaterMark: 64 * 1024 }) : Readable.from(this.chunks);
  }

  /** Removes the file, if there is one; safe to call more than once. */
  async dispose(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) await file.close().catch(() => undefined);
    if (this.dir) await fs.rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.chunks.length = 0;
  }
}

async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  for (let at = 0; at < chunk.length; ) {
    const { bytesWritten } = await file.write(chunk, at, chunk.length - at);
    at += bytesWritten;
  }
}

function spoolWrite(spool: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => spool.write(chunk, (err) => (err ? reject(err) : resolve())));
}

/** Whether the client went away (its connection closed before the answer was finished). */
function watchClient(out: Writable): { readonly gone: boolean } {
  const state = { gone: out.destroyed };
  out.once("close", () => (state.gone = true));
  return state;
}

/** Thrown inside an export when its client has gone: ends the reading, answers nothing. */
class ClientGone extends Error {}

/**
 * Sends a finished spool to the client, closing the connection if the client takes no data for
 * `stallTimeoutMs`. Resolves when the answer is sent or the connection is gone; never rejects (the
 * status line went out long ago, there is nothing left to answer).
 */
export function sendSpool(spool: ExportSpool, out: Writable, limits: StreamLimits): Promise<void> {
  const source = spool.readable();
  return new Promise((resolve) => {
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        limits.log?.warn({ sentBytes: sent, totalBytes: spool.bytes, stallTimeoutMs: limits.stallTimeoutMs }, "export stalled: the client took no data, connection closed");
        out.destroy();
      }, limits.stallTimeoutMs);
    };
    source.on("data", (c: Buffer) => {
      sent += c.length;
      arm();
    });
    arm();
    pipeline(source, out, (err) => {
      clearTimeout(timer);
      if (err && !out.destroyed) out.destroy();
      if (err) limits.log?.info({ sentBytes: sent, totalBytes: spool.bytes }, "export not completed: the client went away");
      resolve();
    });
  });
}

/**
 * Fills a spool with `produce`, then sends it; the spool is removed in every case. `produce`
 * checks `client.gone` between pages and stops early.
 */
async function spooledExport(out: Writable, limits: StreamLimits, produce: (spool: ExportSpool, client: { readonly gone: boolean }) => Promise<void>): Promise<void> {
  const client = watchClient(out);
  const spool = new ExportSpool(limits);
  try {
    try {
      await produce(spool, client);
      if (!spool.writableEnded) spool.end();
    } catch (err) {
      if (!(err instanceof ClientGone)) throw err;
      limits.log?.info({ spooledBytes: spool.bytes }, "export abandoned: the client went away while it was prepared");
      return;
    }
    await finished(spool);
    if (client.gone) {
      limits.log?.info({ spooledBytes: spool.bytes }, "export abandoned: the client went away while it was prepared");
      return;
    }
    limits.log?.info({ bytes: spool.bytes, onDisk: spool.onDisk }, "export spooled, sending");
    await sendSpool(spool, out, limits);
  } finally {
    spool.destroy();
    await spool.dispose();
  }
}

/** A report export as the runner answers it: a download, never cached. */
export function exportReply(filename: string, contentType: string, write: (out: Writable, limits: StreamLimits) => Promise<void>): Reply {
  return reply.stream(write, { contentType, filename, headers: { "Cache-Control": "no-store" } });
}

/** A CSV with a UTF-8 BOM (so that spreadsheet programs in Chinese locales read it right), spooled then sent. */
export function csvExport<T>(filename: string, header: string[], batches: () => AsyncIterable<T[]>, toFields: (row: T) => (string | number | null)[]): Reply {
  return exportReply(filename, "text/csv; charset=utf-8", (out, limits) =>
    spooledExport(out, limits, async (spool, client) => {
      await spoolWrite(spool, UTF8_BOM + csvLine(header));
      for await (const rows of batches()) {
        if (client.gone) throw new ClientGone(); // leaving the loop ends the cursor and its transaction
        await spoolWrite(spool, rows.map((r) => csvLine(toFields(r))).join(""));
      }
    }),
  );
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export interface XlsxColumn {
  header: string;
  key: string;
  width: number;
  money?: boolean;
}

/** An XLSX workbook, streamed: a summary sheet of label/value pairs, then a detail sheet row by row. */
export function xlsxExport<T>(
  filename: string,
  summary: { title: string; rows: [string, string | number][] },
  detail: { title: string; columns: XlsxColumn[]; batches: () => AsyncIterable<T[]>; toRow: (row: T) => Record<string, string | number | null> },
): Reply {
  return exportReply(filename, XLSX_TYPE, (out, limits) => spooledExport(out, limits, (spool, client) => writeXlsx(spool, client, summary, detail)));
}

async function writeXlsx<T>(
  out: Writable,
  client: { readonly gone: boolean },
  summary: { title: string; rows: [string, string | number][] },
  detail: { title: string; columns: XlsxColumn[]; batches: () => AsyncIterable<T[]>; toRow: (row: T) => Record<string, string | number | null> },
): Promise<void> {
  const xlsx = new XlsxStreamWriter(out);
  await xlsx.beginSheet(summary.title, [{ width: 36 }, { width: 48 }]);
  await xlsx.row([]); // row 1 stays empty, as it always has: the figures start on row 2
  for (const [label, value] of summary.rows) await xlsx.row([label, value]);

  await xlsx.beginSheet(detail.title, detail.columns.map((c) => ({ width: c.width, money: c.money })));
  await xlsx.row(detail.columns.map((c) => c.header), { bold: true });
  for await (const batch of detail.batches()) {
    if (client.gone) throw new ClientGone();
    for (const r of batch) {
      const values = detail.toRow(r);
      await xlsx.row(detail.columns.map((c) => values[c.key] ?? null));
    }
  }
  await xlsx.finish();
}
