import { useMutation } from "@tanstack/react-query";
import Button from "antd/es/button";
import Modal from "antd/es/modal";
import Space from "antd/es/space";
import { useRef, useState } from "react";
import { ApiError, unwrap } from "../api/errors";
import { filenameFrom, saveBlob } from "../lib/download";
import { ProblemAlert } from "./Problem";

type Fetcher = (format: "csv" | "xlsx") => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** CSV and XLSX downloads through fetch + blob (a link would carry no bearer token). */
export function DownloadButtons({ fetcher, baseName }: { fetcher: Fetcher; baseName: string }) {
  const m = useMutation({
    mutationFn: async (format: "csv" | "xlsx") => {
      const res = await fetcher(format);
      const blob = unwrap(res) as Blob;
      saveBlob(blob, filenameFrom(res.response, `${baseName}.${format}`));
    },
  });
  return (
    <>
      <Button loading={m.isPending && m.variables === "csv"} onClick={() => m.mutate("csv")}>下载 CSV</Button>
      <Button loading={m.isPending && m.variables === "xlsx"} onClick={() => m.mutate("xlsx")}>下载 Excel</Button>
      {m.error ? (
        <Modal open title="下载失败" footer={null} onCancel={() => m.reset()}>
          <ProblemAlert error={m.error} />
        </Modal>
      ) : null}
    </>
  );
}

/**
 * The server's printable page, fetched with the token and shown in a sandboxed iframe (srcdoc:
 * no scripts may run in it; same origin only so that the print button can reach it).
 */
export function PrintablePage({ fetchHtml, title }: { fetchHtml: () => Promise<{ data?: unknown; error?: unknown; response: Response }>; title: string }) {
  const [html, setHtml] = useState<string | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);
  const m = useMutation({
    mutationFn: async () => unwrap(await fetchHtml()) as string,
    onSuccess: setHtml,
  });
  return (
    <>
      <Button onClick={() => m.mutate()} loading={m.isPending}>打印版</Button>
      <Modal
        open={html !== null || !!m.error}
        title={title}
        width={1000}
        onCancel={() => { setHtml(null); m.reset(); }}
        footer={
          <Space>
            <Button onClick={() => { setHtml(null); m.reset(); }}>关闭</Button>
            <Button type="primary" disabled={!html} onClick={() => frame.current?.contentWindow?.print()}>打印</Button>
          </Space>
        }
      >
        {m.error ? <ProblemAlert error={m.error instanceof ApiError ? m.error : m.error} /> : null}
        {html !== null ? <iframe ref={frame} title={title} className="print-frame" sandbox="allow-same-origin allow-modals" srcDoc={html} data-testid="printable" /> : null}
      </Modal>
    </>
  );
}
