import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Modal from "antd/es/modal";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ProblemAlert } from "../../components/Problem";
import { saveBlob } from "../../lib/download";
import { FilePicker } from "../../components/FilePicker";

type Verification = Schemas["ProofVerification"];
type Difference = Verification["differences"][number];

const DIFFERENCE: Record<Difference["kind"], { zh: string; color: string }> = {
  changed: { zh: "已被改动", color: "red" },
  missing: { zh: "现已不存在", color: "volcano" },
  added: { zh: "证据包中没有（新增）", color: "orange" },
};

const ROW_KIND: Record<string, string> = { payout: "发放", return: "退汇", report: "报表汇总" };

/** The rows' members in Chinese (the English name beside it, as the pack spells it). */
const FIELD: Record<string, string> = {
  courtCode: "法院",
  caseNumber: "案号",
  batchId: "批次",
  partyId: "当事人",
  payeeName: "收款人",
  payeeAccountName: "户名",
  payeeBankName: "开户行",
  payeeAccountMasked: "账号尾号",
  payeeAccountDigest: "收款账号",
  bankReference: "银行流水号",
  amount: "金额",
  paidOn: "发放日期",
  receivedOn: "到账日期",
  daysHeld: "在账天数",
  returnedOn: "退汇日期",
  reason: "退汇原因",
};

/**
 * 证据包 (issue 15): download the report's proof pack as a JSON file, and later upload it again to
 * ask whether today's records still give the same fingerprint (docs/rules/proof-pack.md).
 */
export function ProofPackTools({ query }: { query: { from: string; to: string; courtId?: string } }) {
  const [open, setOpen] = useState(false);
  const download = useMutation({
    mutationFn: async () => {
      const pack = unwrap(await api.GET("/v1/reports/disbursements/proof", { params: { query } }));
      saveBlob(new Blob([JSON.stringify(pack, null, 2)], { type: "application/json" }), `证据包_${query.from}_${query.to}.json`);
    },
  });
  return (
    <>
      <Button loading={download.isPending} onClick={() => download.mutate()}>下载证据包</Button>
      <Button onClick={() => setOpen(true)}>校验证据包</Button>
      {download.error ? (
        <Modal open title="证据包下载失败" footer={null} onCancel={() => download.reset()}>
          <ProblemAlert error={download.error} />
        </Modal>
      ) : null}
      {open ? <VerifyModal onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function VerifyModal({ onClose }: { onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const check = useMutation({
    mutationFn: async (f: File): Promise<Verification> => {
      let pack: Schemas["ProofPack"];
      try {
        pack = JSON.parse(await f.text()) as Schemas["ProofPack"];
      } catch {
        throw new Error("文件不是有效的证据包：无法按 JSON 读取（文件可能不完整）");
      }
      return unwrap(await api.POST("/v1/reports/disbursements/proof/verify", { body: pack }));
    },
  });
  const v = check.data;
  return (
    <Modal open title="校验证据包" width={900} footer={null} onCancel={onClose}>
      <Typography.Paragraph type="secondary">选择此前下载的证据包文件（JSON），系统按今天的数据重新计算并比对指纹。Verify a downloaded proof pack against today's records.</Typography.Paragraph>
      <div style={{ display: "flex", gap: 12, alignItems: "center", marginBottom: 16 }}>
        <FilePicker
          accept=".json,application/json"
          testId="proof-file"
          onChange={(f) => {
            setFile(f);
            check.reset();
          }}
        />
        <Button type="primary" disabled={!file} loading={check.isPending} onClick={() => file && check.mutate(file)}>
          开始校验
        </Button>
      </div>
      <ProblemAlert error={check.error} />
      {v ? <VerifyResult v={v} /> : null}
    </Modal>
  );
}

function VerifyResult({ v }: { v: Verification }) {
  const headsOk = v.auditHeads.every((h) => h.inTrail);
  return (
    <div data-testid="proof-result" data-matches={String(v.matches)}>
      {v.matches ? (
        <Alert type="success" showIcon message="证据包与当前数据一致：指纹相符" description={`共 ${v.rowsInPack} 行，指纹 ${v.fingerprint.slice(0, 16)}…`} />
      ) : (
        <Alert
          type="error"
          showIcon
          message={`证据包与当前数据不一致：${v.differencesTotal} 处不同`}
          description={`证据包 ${v.rowsInPack} 行，当前数据 ${v.rowsNow} 行。证据包指纹 ${v.fingerprint.slice(0, 16)}…，当前指纹 ${v.currentFingerprint.slice(0, 16)}…`}
        />
      )}
      <Alert
        style={{ marginTop: 12 }}
        type={headsOk ? "info" : "warning"}
        showIcon
        message={headsOk ? "证据包记载的审计链位置在当前审计记录中存在" : "证据包记载的审计链位置在当前审计记录中找不到（证据包可能被伪造，或审计链被改写）"}
      />
      {v.differences.length > 0 ? (
        <Table<Difference>
          style={{ marginTop: 12 }}
          rowKey="rowId"
          size="small"
          pagination={v.differences.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          dataSource={v.differences}
          columns={[
            { title: "类别", render: (_, d) => ROW_KIND[d.rowId.split(":")[0]] ?? d.rowId.split(":")[0] },
            { title: "明细编号", render: (_, d) => (d.rowId.includes(":") ? <Typography.Text code>{d.rowId.split(":")[1]}</Typography.Text> : "—") },
            { title: "差异", render: (_, d) => <Tag color={DIFFERENCE[d.kind].color} data-kind={d.kind}>{DIFFERENCE[d.kind].zh}</Tag> },
            { title: "不同的字段", render: (_, d) => (d.fields?.length ? d.fields.map((f) => `${FIELD[f] ?? f}（${f}）`).join("、") : "—") },
          ]}
        />
      ) : null}
    </div>
  );
}
