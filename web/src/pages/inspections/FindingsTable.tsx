import Table from "antd/es/table";
import Tag from "antd/es/tag";
import type { ReactNode } from "react";
import type { Schemas } from "../../api/client";
import { Label } from "../../components/common";
import { FINDING_CATEGORY, FINDING_SEVERITY, FINDING_STATUS, FINDING_STATUS_COLOR } from "../../lib/labels";

/** Findings with their state; overdue ones in red, as court staff expect. */
export function FindingsTable({ findings, loading, action }: { findings: Schemas["Finding"][]; loading: boolean; action: (f: Schemas["Finding"]) => ReactNode }) {
  return (
    <Table<Schemas["Finding"]>
      rowKey="id"
      size="middle"
      loading={loading}
      pagination={false}
      dataSource={findings}
      rowClassName={(f) => (f.overdue ? "row-overdue" : "")}
      expandable={{
        rowExpandable: (f) => f.rectifications.length > 0,
        expandedRowRender: (f) => (
          <ul style={{ margin: 0 }}>
            {f.rectifications.map((r) => (
              <li key={r.id}>
                {r.completedOn ? `完成于 ${r.completedOn}` : "进展"}：{r.description}
                {r.evidence.length > 0 ? `（材料：${r.evidence.map((e) => e.reference).join("；")}）` : ""}
              </li>
            ))}
            {f.verifications.map((v) => (
              <li key={v.id}>
                核查：{v.accepted ? "通过" : "退回"} — {v.note}
              </li>
            ))}
          </ul>
        ),
      }}
      columns={[
        { title: "问题类别", dataIndex: "category", render: (c: Schemas["FindingCategory"]) => FINDING_CATEGORY[c] },
        { title: "问题描述", dataIndex: "description" },
        { title: "程度", dataIndex: "severity", render: (s: Schemas["FindingSeverity"]) => <Label value={s} labels={FINDING_SEVERITY} color={s === "high" ? "red" : undefined} /> },
        { title: "发现日期", dataIndex: "foundOn" },
        {
          title: "整改期限",
          dataIndex: "rectifyBy",
          render: (v: string, f) => (
            <span style={{ color: f.overdue ? "#cf1322" : undefined, fontWeight: f.overdue ? 600 : undefined }}>
              {v}
              {f.overdue ? <Tag color="red" style={{ marginLeft: 8 }}>超期</Tag> : null}
            </span>
          ),
        },
        { title: "状态", dataIndex: "status", render: (s: Schemas["FindingStatus"]) => <span data-status={s}><Label value={s} labels={FINDING_STATUS} color={FINDING_STATUS_COLOR[s]} /></span> },
        { title: "操作", render: (_, f) => action(f) },
      ]}
    />
  );
}
