import { useQueryClient } from "@tanstack/react-query";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Table from "antd/es/table";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { PageHeader } from "../../components/common";
import { ProblemAlert } from "../../components/Problem";
import { formatTimestamp } from "../../lib/dates";
import { CursorPager, useCursorPages } from "../../lib/paging";
import { CourtRulesModal } from "./CourtRulesModal";

export default function CourtsPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [rules, setRules] = useState<Schemas["Court"] | null>(null);
  const pages = useCursorPages<Schemas["Court"]>(["courts-page"], async (cursor, limit) => unwrap(await api.GET("/v1/courts", { params: { query: { cursor, limit } } })));
  const submit = async (v: { code: string; name: string }) => {
    setError(null);
    try {
      unwrap(await api.POST("/v1/courts", { body: { code: v.code.trim(), name: v.name.trim() } }));
      message.success("法院已创建");
      form.resetFields();
      qc.invalidateQueries({ queryKey: ["courts"] });
      qc.invalidateQueries({ queryKey: ["courts-page"] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div>
      <PageHeader title="法院" sub="Courts" />
      <Card title="新建法院" style={{ marginBottom: 16 }}>
        <ProblemAlert error={error} />
        <Form form={form} layout="inline" onFinish={submit} name="new-court">
          <Form.Item name="code" label="代码" rules={[{ required: true, message: "请输入代码" }, { pattern: /^[A-Za-z0-9_-]{1,32}$/, message: "字母、数字、_ 或 -，最多 32 位" }]}>
            <Input placeholder="JH" autoFocus />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: "请输入名称" }]}>
            <Input placeholder="江华瑶族自治县人民法院" style={{ width: 300 }} />
          </Form.Item>
          <Form.Item><Button type="primary" htmlType="submit">创建</Button></Form.Item>
        </Form>
      </Card>
      <Card>
        <Table<Schemas["Court"]>
          rowKey="id"
          size="middle"
          loading={pages.loading}
          pagination={false}
          dataSource={pages.rows}
          columns={[
            { title: "代码", dataIndex: "code" },
            { title: "名称", dataIndex: "name" },
            { title: "创建时间", dataIndex: "createdAt", render: (v: string) => formatTimestamp(v) },
            { title: "", render: (_, c) => <Button size="small" onClick={() => setRules(c)}>本院规则</Button> },
          ]}
        />
        <CursorPager pages={pages as never} />
      </Card>
      {rules ? <CourtRulesModal court={rules} onClose={() => setRules(null)} onDone={(text) => { message.success(text); qc.invalidateQueries({ queryKey: ["court", rules.id] }); }} /> : null}
    </div>
  );
}
