/**
 * Text gathered into one reused byte buffer and handed on in chunks (issue 16). A large export
 * writes a million rows; joining them into big strings first (a 2,000-row page is a 300 KB
 * string) puts each one in V8's large-object space, which only a full collection frees, and the
 * server's resident memory grew by tens of megabytes. Here each row's text dies young and the
 * bytes go straight into the buffer.
 */
export class ByteChunks {
  private readonly buffer: Buffer;
  private used = 0;

  constructor(
    private readonly handOn: (chunk: Buffer) => Promise<void>,
    size = 64 * 1024,
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  async add(text: string): Promise<void> {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, 2 units, takes 4).
    const worst = text.length * 3;
    if (worst > this.buffer.length - this.used) {
      await this.flush();
      if (worst > this.buffer.length) return this.handOn(Buffer.from(text, "utf8"));
    }
    this.used += this.buffer.write(text, this.used, "utf8");
  }

  /** Hands on what is gathered (a copy: the buffer is written again at once). */
  async flush(): Promise<void> {
    if (this.used === 0) return;
    const chunk = Buffer.from(this.buffer.subarray(0, this.used));
    this.used = 0;
    await this.handOn(chunk);
  }
}
