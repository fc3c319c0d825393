import { useQuery, useQueryClient } from "@tanstack/react-query";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import DatePicker from "antd/es/date-picker";
import Descriptions from "antd/es/descriptions";
import Form from "antd/es/form";
import InputNumber from "antd/es/input-number";
import Space from "antd/es/space";
import Tag from "antd/es/tag";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Loading, PageHeader } from "../../components/common";
import { applyFieldErrors, ProblemAlert } from "../../components/Problem";
import { chinaToday, DATE_FORMAT, formatTimestamp, fromDateString, toDateString } from "../../lib/dates";

/** The working-day calendar of a year: GET and PUT /v1/calendar/{year} (holidays and 调休 workdays). */
export default function CalendarPage() {
  const [year, setYear] = useState(Number(chinaToday().slice(0, 4)));
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ holidays: Dayjs[]; workdays: Dayjs[] }>();
  const [error, setError] = useState<unknown>(null);
  const q = useQuery({ queryKey: ["calendar", year], queryFn: async () => unwrap(await api.GET("/v1/calendar/{year}", { params: { path: { year } } })) });
  const save = async (v: { holidays?: Dayjs[]; workdays?: Dayjs[] }) => {
    setError(null);
    try {
      const body = { holidays: (v.holidays ?? []).map(toDateString).sort(), workdays: (v.workdays ?? []).map(toDateString).sort() };
      unwrap(await api.PUT("/v1/calendar/{year}", { params: { path: { year } }, body }));
      message.success(`${year} 年日历已保存`);
      qc.invalidateQueries({ queryKey: ["calendar", year] });
    } catch (err) {
      setError(err);
      applyFieldErrors(form, err);
    }
  };
  const c = q.data;
  return (
    <div>
      <PageHeader title="工作日历" sub="Official holidays and make-up working days (调休), by year" extra={<Space>年度 <InputNumber min={1900} max={2999} precision={0} value={year} onChange={(y) => y && setYear(y)} /></Space>} />
      <ProblemAlert error={q.error ?? error} />
      {q.isLoading ? <Loading /> : null}
      {c ? (
        <Card key={`${year}-${c.updatedAt}`}>
          <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="状态">{c.calendarKnown ? <Tag color="green">已设置</Tag> : <Tag color="orange">未设置（按周一至周五）</Tag>}</Descriptions.Item>
            <Descriptions.Item label="来源">{c.source === "official" ? "官方（内置）" : c.source === "admin" ? "管理员设置" : "—"}</Descriptions.Item>
            <Descriptions.Item label="更新">{formatTimestamp(c.updatedAt)}</Descriptions.Item>
          </Descriptions>
          <Form form={form} layout="vertical" onFinish={save} initialValues={{ holidays: c.holidays.map(fromDateString), workdays: c.workdays.map(fromDateString) }} name="calendar">
            <Form.Item name="holidays" label={`放假日（含调休的工作日，${c.holidays.length} 天）`}>
              <DatePicker multiple format={DATE_FORMAT} style={{ width: "100%" }} maxTagCount="responsive" />
            </Form.Item>
            <Form.Item name="workdays" label={`调休上班日（周六或周日，${c.workdays.length} 天）`}>
              <DatePicker multiple format={DATE_FORMAT} style={{ width: "100%" }} />
            </Form.Item>
            <Button type="primary" htmlType="submit">保存 {year} 年日历</Button>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
