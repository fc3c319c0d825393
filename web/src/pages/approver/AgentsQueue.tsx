import Card from "antd/es/card";
import Tag from "antd/es/tag";
import { useQueryClient } from "@tanstack/react-query";
import App from "antd/es/app";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { ProblemAlert } from "../../components/Problem";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { AgentsTable } from "../clerk/caseSections";

/** 代理人待审批: agents waiting for a second person, oldest first (GET /v1/agents?status=pending). */
export function AgentsQueue() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const pending = useCursorPages<Schemas["Agent"]>(["agents", { status: "pending" }], async (cursor, limit) =>
    unwrap(await api.GET("/v1/agents", { params: { query: { status: "pending", cursor, limit } } })),
  );
  const done = (text: string) => {
    message.success(text);
    qc.invalidateQueries({ queryKey: ["agents"] });
  };
  return (
    <Card title={<span>代理人待审批 <Tag color="processing">{pending.rows.length}{pending.hasNext ? "+" : ""}</Tag></span>} style={{ marginTop: 16 }} data-testid="agents-queue">
      <ProblemAlert error={pending.query.error} />
      <AgentsTable rows={pending.rows} canDecide onDone={done} loading={pending.loading} />
      <CursorPager pages={pending as never} />
    </Card>
  );
}
