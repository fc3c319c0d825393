import Button from "antd/es/button";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import { useSearchParams } from "react-router";
import type { Dayjs } from "dayjs";
import { CourtSelect } from "./CourtSelect";
import { chinaToday, DATE_FORMAT, fromDateString, toDateString } from "../lib/dates";

/** Period and court of a report, kept in the address (so a report can be bookmarked and printed again). */
export function usePeriod(defaultFrom?: string) {
  const [params, setParams] = useSearchParams();
  const today = chinaToday();
  const from = params.get("from") ?? defaultFrom ?? `${today.slice(0, 4)}-01-01`;
  const to = params.get("to") ?? today;
  const courtId = params.get("courtId") ?? undefined;
  const set = (v: { from: string; to: string; courtId?: string }) => {
    const p: Record<string, string> = { from: v.from, to: v.to };
    if (v.courtId) p.courtId = v.courtId;
    setParams(p);
  };
  return { from, to, courtId, set };
}

export function PeriodFilter({ period }: { period: ReturnType<typeof usePeriod> }) {
  return (
    <Form
      layout="inline"
      className="filters no-print"
      key={`${period.from}${period.to}${period.courtId}`}
      initialValues={{ range: [fromDateString(period.from), fromDateString(period.to)], courtId: period.courtId }}
      onFinish={(v: { range: [Dayjs, Dayjs]; courtId?: string }) => period.set({ from: toDateString(v.range[0]), to: toDateString(v.range[1]), courtId: v.courtId })}
      name="period"
    >
      <Form.Item name="range" label="期间" rules={[{ required: true, message: "请选择期间" }]}>
        <DatePicker.RangePicker format={DATE_FORMAT} allowClear={false} />
      </Form.Item>
      <Form.Item name="courtId" label="法院">
        <CourtSelect allowAll />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit">查询</Button>
      </Form.Item>
    </Form>
  );
}
