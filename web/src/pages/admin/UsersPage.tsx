import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Checkbox from "antd/es/checkbox";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Modal from "antd/es/modal";
import Select from "antd/es/select";
import Typography from "antd/es/typography";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCourts } from "../../api/queries";
import { PageHeader } from "../../components/common";
import { applyFieldErrors, ProblemAlert } from "../../components/Problem";
import { ROLE_LABELS } from "../../lib/labels";

/**
 * Create users: POST /v1/users answers the bearer token once, shown here to hand over. v1 has no
 * list of users (GET /v1/users comes with sign-in, issue 10).
 */
export default function UsersPage() {
  const courts = useCourts().data ?? [];
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<(Schemas["UserWithToken"] & { initialPassword?: string }) | null>(null);
  const submit = async (v: { name: string; roles: Schemas["Role"][]; courtIds?: string[] }) => {
    setBusy(true);
    setError(null);
    try {
      setCreated(unwrap(await api.POST("/v1/users", { body: { name: v.name.trim(), roles: v.roles, courtIds: v.courtIds ?? [] } })));
      form.resetFields();
    } catch (err) {
      setError(err);
      applyFieldErrors(form, err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <PageHeader title="用户" sub="Users: create a user and hand over the one-time token" />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title="现版本接口不提供用户列表、停用和重置密码（随账号登录功能一同提供）。" />
      <Card title="新建用户" style={{ maxWidth: 720 }}>
        <ProblemAlert error={error} />
        <Form form={form} layout="vertical" onFinish={submit} name="new-user">
          <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: "请输入姓名" }]}>
            <Input autoFocus maxLength={200} />
          </Form.Item>
          <Form.Item name="roles" label="角色" rules={[{ required: true, message: "至少选择一个角色" }]}>
            <Checkbox.Group options={(Object.keys(ROLE_LABELS) as Schemas["Role"][]).map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
          </Form.Item>
          <Form.Item name="courtIds" label="所属法院">
            <Select mode="multiple" options={courts.map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` }))} placeholder="选择一个或多个法院" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>创建用户</Button>
        </Form>
      </Card>
      <Modal open={!!created} title="用户已创建" onCancel={() => setCreated(null)} onOk={() => setCreated(null)} okText="我已保存" cancelButtonProps={{ style: { display: "none" } }}>
        {created ? (
          <>
            <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="令牌只显示这一次，请立即交给本人妥善保存。The token is shown only once." />
            <p>{created.name}（{created.roles.map((r) => ROLE_LABELS[r]).join("、")}）</p>
            {created.initialPassword ? <p>初始密码：<Typography.Text code copyable>{created.initialPassword}</Typography.Text></p> : null}
            <p>访问令牌：<Typography.Text code copyable data-testid="new-token">{created.token}</Typography.Text></p>
          </>
        ) : null}
      </Modal>
    </div>
  );
}
