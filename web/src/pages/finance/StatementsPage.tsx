import Button from "antd/es/button";
import Card from "antd/es/card";
import Col from "antd/es/col";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Row from "antd/es/row";
import Select from "antd/es/select";
import Statistic from "antd/es/statistic";
import Table from "antd/es/table";
import Tag from "antd/es/tag";
import { useState } from "react";
import { Link } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { CourtSelect } from "../../components/CourtSelect";
import { Money, PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { LINE_OUTCOME, LINE_OUTCOME_COLOR, STATEMENT_LAYOUTS } from "./money-in-labels";
import { FilePicker } from "../../components/FilePicker";

type Line = Schemas["StatementLine"];

/** 导入银行对账单: upload the bank's own file, then see what became of each line. */
export default function StatementsPage() {
  const [courtId, setCourtId] = useState<string | undefined>();
  const [layout, setLayout] = useState<string>("abc-account-detail");
  const [accountNumber, setAccountNumber] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<Schemas["StatementImport"] | null>(null);

  const upload = async () => {
    if (!courtId || !file) return;
    setBusy(true);
    setError(null);
    try {
      const type = file.name.toLowerCase().endsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv";
      const query = { courtId, layout, ...(accountNumber.trim() ? { accountNumber: accountNumber.trim() } : {}) };
      // The file goes as the raw body with its own type: the server reads GB18030 and XLSX itself.
      const res = await api.POST("/v1/bank-statements", { params: { query }, body: file as unknown as string, bodySerializer: (b: unknown) => b as BodyInit, headers: { "Content-Type": type } });
      setResult(unwrap(res));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="导入银行对账单" sub="Import the bank's statement of the master account: lines matched to cases become receipts, the rest unidentified funds" />
      <Card>
        <Form layout="inline" className="filters">
          <Form.Item label="法院">
            <CourtSelect value={courtId} onChange={setCourtId} />
          </Form.Item>
          <Form.Item label="银行格式">
            <Select value={layout} onChange={setLayout} style={{ width: 240 }} options={Object.entries(STATEMENT_LAYOUTS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="账号（文件中无账号时填写）">
            <Input value={accountNumber} onChange={(e) => setAccountNumber(e.target.value)} style={{ width: 220 }} inputMode="numeric" />
          </Form.Item>
          <Form.Item label="文件">
            <FilePicker accept=".csv,.xlsx" testId="statement-file" onChange={setFile} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" loading={busy} disabled={!courtId || !file} onClick={upload}>
              导入
            </Button>
          </Form.Item>
        </Form>
        <ProblemAlert error={error} />
      </Card>
      {result ? <ImportResult result={result} /> : null}
    </div>
  );
}

function ImportResult({ result }: { result: Schemas["StatementImport"] }) {
  const pages = useCursorPages<Line>(["statement-lines", result.statementId], async (cursor, limit) =>
    unwrap(await api.GET("/v1/bank-statements/{id}/lines", { params: { path: { id: result.statementId }, query: { cursor, limit } } })),
  );
  return (
    <Card style={{ marginTop: 16 }} title={<span data-testid="import-title">{result.alreadyImported ? <Tag color="gold">此文件已导入过，未新增任何款项</Tag> : <Tag color="green">导入完成</Tag>} 账号 {result.accountNumberMasked}</span>}>
      <Row gutter={16} data-testid="import-counts">
        <Col span={4}><Statistic title="行数" value={result.lines} /></Col>
        <Col span={4}><Statistic title="已匹配入账" value={result.matched} /></Col>
        <Col span={4}><Statistic title="不明款" value={result.unidentified} valueStyle={result.unidentified ? { color: "#d46b08" } : undefined} /></Col>
        <Col span={4}><Statistic title="重复" value={result.duplicates} /></Col>
        <Col span={4}><Statistic title="支出（已匹配）" value={`${result.debits}（${result.debitsMatched}）`} /></Col>
        <Col span={4}><Statistic title="期末余额" value={result.closingBalance ?? "—"} formatter={() => <Money value={result.closingBalance} />} /></Col>
      </Row>
      {result.alreadyImported ? null : (
        <>
          <Table<Line>
            style={{ marginTop: 16 }}
            rowKey="id"
            size="small"
            loading={pages.loading}
            pagination={false}
            dataSource={pages.rows}
            columns={[
              { title: "行", dataIndex: "lineNo", width: 60 },
              { title: "起息日", dataIndex: "valueDate", width: 110 },
              { title: "收/支", dataIndex: "direction", width: 70, render: (d: Line["direction"]) => (d === "credit" ? "收入" : "支出") },
              { title: "金额", dataIndex: "amount", align: "right", render: (v: string) => <Money value={v} /> },
              { title: "对方户名", dataIndex: "counterpartyName", ellipsis: true },
              { title: "附言", dataIndex: "remark", ellipsis: true },
              { title: "结果", dataIndex: "outcome", render: (o: Line["outcome"]) => <Tag color={LINE_OUTCOME_COLOR[o]}>{LINE_OUTCOME[o]}</Tag> },
              { title: "案件", dataIndex: "caseId", render: (v: string | null) => (v ? <Link to={`/cases/${v}`}>查看</Link> : null) },
            ]}
          />
          <CursorPager pages={pages as never} />
        </>
      )}
    </Card>
  );
}
