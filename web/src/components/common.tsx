import Badge from "antd/es/badge";
import Button from "antd/es/button";
import Space from "antd/es/space";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import type { Rule as FormRule } from "antd/es/form";
import type { ReactNode } from "react";
import type { Light } from "../lib/dates";
import { groupDigits, moneyProblem, toWan } from "../lib/money";

/** The page's title and its one main action, as in Ant Design Pro's page header. */
export function PageHeader({ title, sub, extra }: { title: ReactNode; sub?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        {sub ? <Typography.Text type="secondary">{sub}</Typography.Text> : null}
      </div>
      {extra ? <Space wrap>{extra}</Space> : null}
    </div>
  );
}

/** A money string as the server sent it, grouped: "10,730,000.00 元"; `wan` adds the 万元 figure. */
export function Money({ value, wan, strong, danger }: { value: string | null | undefined; wan?: boolean; strong?: boolean; danger?: boolean }) {
  if (value === null || value === undefined) return <span>—</span>;
  return (
    <span className="money" style={{ color: danger ? "#cf1322" : undefined, fontWeight: strong ? 600 : undefined }}>
      {groupDigits(value)} 元{wan ? <Typography.Text type="secondary"> （{groupDigits(toWan(value))} 万元）</Typography.Text> : null}
    </span>
  );
}

/** antd form rules for a money field: the contract's pattern, positive unless `allowZero`. */
export function moneyRules(opts: { required?: boolean; allowZero?: boolean } = {}): FormRule[] {
  return [
    {
      validator: async (_rule, value: unknown) => {
        const text = typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
        if (text === "" && !opts.required) return;
        const problem = moneyProblem(text, { allowZero: opts.allowZero });
        if (problem) throw new Error(problem);
      },
    },
  ];
}

export function TrafficLight({ light, text }: { light: Light; text?: string }) {
  const map = { red: { status: "error", label: "已逾期" }, amber: { status: "warning", label: "5日内到期" }, green: { status: "success", label: "正常" } } as const;
  const m = map[light];
  return <Badge status={m.status} text={<span data-light={light}>{text ?? m.label}</span>} />;
}

export { Loading } from "./Loading";

export function Label<T extends string>({ value, labels, color }: { value: T | null | undefined; labels: Record<T, string>; color?: string }) {
  if (!value) return <span>—</span>;
  return <Tag color={color}>{labels[value] ?? value}</Tag>;
}

export function PrintButton() {
  return (
    <Button onClick={() => window.print()} className="no-print">
      打印
    </Button>
  );
}
