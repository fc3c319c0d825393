import Button from "antd/es/button";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Radio from "antd/es/radio";
import Select from "antd/es/select";
import Space from "antd/es/space";
import { useQuery } from "@tanstack/react-query";
import type { Dayjs } from "dayjs";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ActionModal } from "../../components/ActionModal";
import { DATE_FORMAT, todayDayjs, toDateString } from "../../lib/dates";
import { FINDING_CATEGORY, FINDING_SEVERITY, ROLE_LABELS } from "../../lib/labels";

type EntityType = Schemas["FindingEntity"]["type"];
const ENTITY_TYPE: Record<EntityType, string> = { case: "案件", receipt: "到账记录", batch: "发放批次", listing: "失信名单", freeze: "冻结", user: "用户" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface FindingValues {
  category: Schemas["FindingCategory"];
  description: string;
  severity: Schemas["FindingSeverity"];
  caseNumber?: string;
  entities?: { type: EntityType; id: string }[];
  responsibleUserId?: string;
  foundOn: Dayjs;
  rectifyBy: Dayjs;
}

/** Finds the case of the court by its number (full-width parentheses are the same), or says it is not there. */
async function caseByNumber(courtId: string, caseNumber: string): Promise<string> {
  const found = unwrap(await api.GET("/v1/cases", { params: { query: { courtId, caseNumber } } })).data;
  if (found.length === 0) throw new Error(`本院没有案号为 ${caseNumber} 的案件 (no such case in this court)`);
  return found[0].id;
}

/** The inspector records a finding by hand (登记问题): what, how serious, which records, who answers, by when. */
export function FindingForm({ inspection, open, onClose, onCreated }: { inspection: Schemas["Inspection"]; open: boolean; onClose: () => void; onCreated: () => Promise<void> }) {
  // The court's staff (id, name, roles), so that the responsible person is picked by name, not typed as an id.
  const staff = useQuery({
    queryKey: ["court-staff", inspection.courtId],
    enabled: open,
    queryFn: async () => unwrap(await api.GET("/v1/courts/{id}/staff", { params: { path: { id: inspection.courtId } } })).data,
  });
  return (
    <ActionModal<FindingValues>
      name="finding"
      open={open}
      width={640}
      title="登记问题 Record a finding"
      initialValues={{ severity: "medium", foundOn: todayDayjs(), entities: [] }}
      onClose={onClose}
      onSubmit={async (v) => {
        const entities = (v.entities ?? []).map((e) => ({ type: e.type, id: e.id.trim() }));
        const caseNumber = v.caseNumber?.trim();
        if (caseNumber) entities.unshift({ type: "case", id: await caseByNumber(inspection.courtId, caseNumber) });
        const body: Schemas["FindingCreate"] = {
          category: v.category,
          description: v.description.trim(),
          severity: v.severity,
          entities,
          foundOn: toDateString(v.foundOn),
          rectifyBy: toDateString(v.rectifyBy),
          ...(v.responsibleUserId ? { responsibleUserId: v.responsibleUserId } : {}),
        };
        unwrap(await api.POST("/v1/inspections/{id}/findings", { params: { path: { id: inspection.id } }, body }));
        await onCreated();
      }}
    >
      <Form.Item name="category" label="问题类别" rules={[{ required: true, message: "请选择问题类别" }]}>
        <Select options={(Object.keys(FINDING_CATEGORY) as Schemas["FindingCategory"][]).filter((c) => c !== "complaint").map((c) => ({ value: c, label: FINDING_CATEGORY[c] }))} />
      </Form.Item>
      <Form.Item name="description" label="问题描述" rules={[{ required: true, whitespace: true, max: 4000 }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="severity" label="严重程度">
        <Radio.Group options={(Object.keys(FINDING_SEVERITY) as Schemas["FindingSeverity"][]).map((s) => ({ value: s, label: FINDING_SEVERITY[s] }))} />
      </Form.Item>
      <Form.Item name="caseNumber" label="关联案号" rules={[{ max: 100 }]}>
        <Input placeholder="如：(2024)湘1129执123号" />
      </Form.Item>
      <Form.List name="entities">
        {(fields, { add, remove }) => (
          <Form.Item label="其他关联记录（编号）">
            {fields.map((f) => (
              <Space key={f.key} align="baseline" style={{ display: "flex" }}>
                <Form.Item name={[f.name, "type"]} rules={[{ required: true, message: "类型" }]}>
                  <Select aria-label="记录类型" style={{ width: 120 }} options={(Object.keys(ENTITY_TYPE) as EntityType[]).map((t) => ({ value: t, label: ENTITY_TYPE[t] }))} />
                </Form.Item>
                <Form.Item name={[f.name, "id"]} rules={[{ required: true, pattern: UUID, message: "请填写记录编号 (UUID)" }]}>
                  <Input aria-label="记录编号" style={{ width: 340 }} />
                </Form.Item>
                <Button onClick={() => remove(f.name)}>删除</Button>
              </Space>
            ))}
            <Button type="dashed" onClick={() => add({ type: "receipt" })}>
              添加关联记录
            </Button>
          </Form.Item>
        )}
      </Form.List>
      <Form.Item name="responsibleUserId" label="责任人 Responsible">
        <Select
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          loading={staff.isLoading}
          placeholder="从本院工作人员中选择 (pick from the court's staff)"
          notFoundContent={staff.isError ? "无法读取本院工作人员 (could not load the staff)" : "本院没有工作人员 (no staff)"}
          options={(staff.data ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.roles.map((r) => ROLE_LABELS[r]).join("、")}）` }))}
        />
      </Form.Item>
      <Space size="large">
        <Form.Item name="foundOn" label="发现日期" rules={[{ required: true }]}>
          <DatePicker format={DATE_FORMAT} allowClear={false} />
        </Form.Item>
        <Form.Item name="rectifyBy" label="整改期限" rules={[{ required: true, message: "请选择整改期限" }]}>
          <DatePicker format={DATE_FORMAT} />
        </Form.Item>
      </Space>
    </ActionModal>
  );
}
