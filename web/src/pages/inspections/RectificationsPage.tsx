import Button from "antd/es/button";
import Card from "antd/es/card";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import type { Dayjs } from "dayjs";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { DATE_FORMAT, toDateString } from "../../lib/dates";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { FindingsTable } from "./FindingsTable";

interface AnswerValues {
  description: string;
  evidence?: string;
  completedOn?: Dayjs;
}

/** The court's answer to the inspection team: its findings, and a rectification (progress, or done with a date) for each. */
export default function RectificationsPage() {
  const qc = useQueryClient();
  const findings = useCursorPages<Schemas["Finding"]>(["findings", "court"], async (cursor, limit) => unwrap(await api.GET("/v1/findings", { params: { query: { cursor, limit } } })));
  const [answering, setAnswering] = useState<Schemas["Finding"] | null>(null);
  return (
    <div>
      <PageHeader title="巡察问题整改" sub="Findings of the inspection team for your court — answer each with what was done" />
      <Card>
        <ProblemAlert error={findings.query.error} />
        <FindingsTable
          findings={findings.rows}
          loading={findings.query.isLoading}
          action={(f) =>
            f.status === "open" || f.status === "rectifying" || f.status === "reopened" ? (
              <Button size="small" type="primary" onClick={() => setAnswering(f)}>
                整改答复
              </Button>
            ) : null
          }
        />
        <CursorPager pages={findings as never} />
      </Card>
      <ActionModal<AnswerValues>
        name="rectification"
        open={answering !== null}
        title="整改答复"
        onClose={() => setAnswering(null)}
        onSubmit={async (v) => {
          const reference = v.evidence?.trim();
          const body: Schemas["RectificationCreate"] = {
            description: v.description.trim(),
            evidence: reference ? [{ kind: "document", reference }] : [],
            ...(v.completedOn ? { completedOn: toDateString(v.completedOn) } : {}),
          };
          unwrap(await api.POST("/v1/findings/{id}/rectifications", { params: { path: { id: answering!.id } }, body }));
          await qc.invalidateQueries({ queryKey: ["findings"] });
        }}
      >
        <Form.Item name="description" label="整改情况" rules={[{ required: true, whitespace: true, max: 4000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="evidence" label="佐证材料" rules={[{ max: 500 }]}>
          <Input placeholder="如：发放凭证编号、签收单" />
        </Form.Item>
        <Form.Item name="completedOn" label="整改完成日期" extra="整改尚未完成的，留空即为进展报告">
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </ActionModal>
    </div>
  );
}
