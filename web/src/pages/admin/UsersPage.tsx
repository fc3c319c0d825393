import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Checkbox from "antd/es/checkbox";
import DatePicker from "antd/es/date-picker";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Modal from "antd/es/modal";
import Popconfirm from "antd/es/popconfirm";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Table from "antd/es/table";
import Tabs from "antd/es/tabs";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { courtName, useCourts } from "../../api/queries";
import { ActionModal } from "../../components/ActionModal";
import { PageHeader } from "../../components/common";
import { applyFieldErrors, ProblemAlert } from "../../components/Problem";
import { ROLE_LABELS } from "../../lib/labels";
import { CursorPager, useCursorPages } from "../../lib/paging";

type Role = Schemas["Role"];
const roleOptions = (Object.keys(ROLE_LABELS) as Role[]).map((r) => ({ value: r, label: ROLE_LABELS[r] }));

/** Shown once: a one-time password or a token to hand over. */
function SecretModal({ secret, onClose }: { secret: { title: string; who: string; label: string; value: string } | null; onClose: () => void }) {
  return (
    <Modal open={!!secret} title={secret?.title} onCancel={onClose} onOk={onClose} okText="我已交给本人" cancelButtonProps={{ style: { display: "none" } }}>
      {secret ? (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="只显示这一次，请当面交给本人。Shown only once." />
          <p>{secret.who}</p>
          <p>
            {secret.label}：<Typography.Text code copyable data-testid="one-time-secret">{secret.value}</Typography.Text>
          </p>
        </>
      ) : null}
    </Modal>
  );
}

function UsersTab({ onSecret }: { onSecret: (s: { title: string; who: string; label: string; value: string }) => void }) {
  const courts = useCourts().data ?? [];
  const [filters, setFilters] = useState<{ courtId?: string; role?: Role; active?: "true" | "false" }>({ active: "true" });
  const [editing, setEditing] = useState<Schemas["User"] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pages = useCursorPages<Schemas["User"]>(["users", filters], async (cursor, limit) => unwrap(await api.GET("/v1/users", { params: { query: { ...filters, cursor, limit } } })));
  const act = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
      await pages.query.refetch();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <Form layout="inline" className="filters" initialValues={filters} onFinish={(v) => setFilters(v)}>
        <Form.Item name="courtId" label="法院">
          <Select allowClear placeholder="全部" style={{ width: 220 }} options={courts.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="role" label="角色">
          <Select allowClear placeholder="全部" style={{ width: 140 }} options={roleOptions} />
        </Form.Item>
        <Form.Item name="active" label="状态">
          <Select allowClear placeholder="全部" style={{ width: 110 }} options={[{ value: "true", label: "在用" }, { value: "false", label: "已停用" }]} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" type="primary">查询</Button>
        </Form.Item>
      </Form>
      <ProblemAlert error={error ?? pages.query.error} />
      <Table<Schemas["User"]>
        rowKey="id"
        size="middle"
        loading={pages.loading}
        dataSource={pages.rows}
        pagination={false}
        columns={[
          { title: "用户名", dataIndex: "username" },
          { title: "姓名", dataIndex: "name" },
          { title: "角色", render: (_, u) => u.roles.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>) },
          { title: "法院", render: (_, u) => u.courtIds.map((c) => courtName(courts, c)).join("、") || "全部（系统管理员）" },
          { title: "状态", render: (_, u) => (u.active ? <Tag color="green">在用</Tag> : <Tag color="red">已停用</Tag>) },
          {
            title: "操作",
            render: (_, u) => (
              <Space size="small">
                <Button size="small" onClick={() => setEditing(u)}>角色与法院</Button>
                {u.active ? (
                  <Popconfirm title={`停用 ${u.name}？其所有会话和令牌立即失效。`} onConfirm={() => act(async () => void unwrap(await api.POST("/v1/users/{id}/deactivate", { params: { path: { id: u.id } } })))}>
                    <Button size="small" danger>停用</Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" onClick={() => act(async () => void unwrap(await api.POST("/v1/users/{id}/reactivate", { params: { path: { id: u.id } } })))}>启用</Button>
                )}
                <Popconfirm
                  title={`为 ${u.name} 生成新的一次性密码？其所有会话立即结束。`}
                  onConfirm={() =>
                    act(async () => {
                      const r = unwrap(await api.POST("/v1/users/{id}/password-reset", { params: { path: { id: u.id } } }));
                      onSecret({ title: "密码已重置", who: `${u.name}（${u.username}）`, label: "一次性密码", value: r.initialPassword });
                    })
                  }
                >
                  <Button size="small">重置密码</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <CursorPager pages={pages as never} />
      <ActionModal<{ roles: Role[]; courtIds: string[] }>
        open={!!editing}
        title={`角色与法院：${editing?.name ?? ""}`}
        name="edit-user"
        initialValues={editing ? { roles: editing.roles, courtIds: editing.courtIds } : undefined}
        onClose={() => setEditing(null)}
        onSubmit={async (v) => {
          if (!editing) return;
          unwrap(await api.PATCH("/v1/users/{id}", { params: { path: { id: editing.id } }, body: { roles: v.roles, courtIds: v.courtIds ?? [] } }));
          setEditing(null);
          await pages.query.refetch();
        }}
      >
        <Form.Item name="roles" label="角色" rules={[{ required: true, message: "至少选择一个角色" }]}>
          <Checkbox.Group options={roleOptions} />
        </Form.Item>
        <Form.Item name="courtIds" label="所属法院">
          <Select mode="multiple" options={courts.map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` }))} />
        </Form.Item>
      </ActionModal>
    </>
  );
}

function NewUserCard({ onSecret }: { onSecret: (s: { title: string; who: string; label: string; value: string }) => void }) {
  const courts = useCourts().data ?? [];
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; name: string; roles: Role[]; courtIds?: string[] }) => {
    setBusy(true);
    setError(null);
    try {
      const u = unwrap(await api.POST("/v1/users", { body: { username: v.username.trim(), name: v.name.trim(), roles: v.roles, courtIds: v.courtIds ?? [] } }));
      onSecret({ title: "用户已创建", who: `${u.name}（${u.username}）`, label: "一次性密码（首次登录后须修改）", value: u.initialPassword ?? "" });
      form.resetFields();
    } catch (err) {
      setError(err);
      applyFieldErrors(form, err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="新建用户" style={{ maxWidth: 720 }}>
      <ProblemAlert error={error} />
      <Form form={form} layout="vertical" onFinish={submit} name="new-user">
        <Form.Item name="username" label="用户名" extra="3–32 位小写字母、数字或 . _ -，登录时使用" rules={[{ required: true, message: "请输入用户名" }, { pattern: /^[A-Za-z0-9._-]{3,32}$/, message: "用户名为 3–32 位字母、数字或 . _ -" }]}>
          <Input autoFocus maxLength={32} autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: "请输入姓名" }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="roles" label="角色" rules={[{ required: true, message: "至少选择一个角色" }]}>
          <Checkbox.Group options={roleOptions} />
        </Form.Item>
        <Form.Item name="courtIds" label="所属法院">
          <Select mode="multiple" options={courts.map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` }))} placeholder="选择一个或多个法院" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>创建用户</Button>
      </Form>
    </Card>
  );
}

function ApiTokensTab({ onSecret }: { onSecret: (s: { title: string; who: string; label: string; value: string }) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const pages = useCursorPages<Schemas["ApiToken"]>(["api-tokens"], async (cursor, limit) => unwrap(await api.GET("/v1/api-tokens", { params: { query: { cursor, limit } } })));
  const users = useCursorPages<Schemas["User"]>(["users-for-tokens"], async (cursor, limit) => unwrap(await api.GET("/v1/users", { params: { query: { active: "true", cursor, limit } } })), 100);
  const nameOf = (id: string) => users.rows.find((u) => u.id === id)?.name ?? id.slice(0, 8);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setCreating(true)}>新建 API 令牌</Button>
        <Typography.Text type="secondary">供其他系统使用，最长一年；v1 令牌没有到期日，可在此吊销。</Typography.Text>
      </Space>
      <ProblemAlert error={error ?? pages.query.error} />
      <Table<Schemas["ApiToken"]>
        rowKey="id"
        size="middle"
        loading={pages.loading}
        dataSource={pages.rows}
        pagination={false}
        columns={[
          { title: "名称", dataIndex: "name" },
          { title: "用户", render: (_, k) => nameOf(k.userId) },
          { title: "到期", render: (_, k) => k.expiresOn ?? "无（v1 令牌）" },
          { title: "最近使用", render: (_, k) => k.lastUsedAt?.slice(0, 16).replace("T", " ") ?? "—" },
          { title: "状态", render: (_, k) => (k.revokedAt ? <Tag color="red">已吊销</Tag> : <Tag color="green">有效</Tag>) },
          {
            title: "操作",
            render: (_, k) =>
              k.revokedAt ? null : (
                <Popconfirm
                  title="吊销此令牌？使用它的系统将立即无法访问。"
                  onConfirm={async () => {
                    setError(null);
                    try {
                      const res = await api.DELETE("/v1/api-tokens/{id}", { params: { path: { id: k.id } } });
                      if (res.error) unwrap(res);
                      await pages.query.refetch();
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  <Button size="small" danger>吊销</Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <CursorPager pages={pages as never} />
      <ActionModal<{ userId: string; name: string; expiresOn: Dayjs }>
        open={creating}
        title="新建 API 令牌"
        name="new-api-token"
        onClose={() => setCreating(false)}
        onSubmit={async (v) => {
          const made = unwrap(await api.POST("/v1/api-tokens", { body: { userId: v.userId, name: v.name.trim(), expiresOn: v.expiresOn.format("YYYY-MM-DD") } }));
          setCreating(false);
          onSecret({ title: "API 令牌已创建", who: `${nameOf(made.userId)}：${made.name}（到期 ${made.expiresOn}）`, label: "令牌", value: made.token });
          await pages.query.refetch();
        }}
      >
        <Form.Item name="userId" label="代表的用户" rules={[{ required: true, message: "请选择用户" }]}>
          <Select showSearch optionFilterProp="label" options={users.rows.map((u) => ({ value: u.id, label: `${u.name}（${u.username}）` }))} />
        </Form.Item>
        <Form.Item name="name" label="用途" rules={[{ required: true, whitespace: true, message: "请说明哪个系统使用" }]}>
          <Input maxLength={100} placeholder="例如：网银对账接口" />
        </Form.Item>
        <Form.Item name="expiresOn" label="到期日（最长一年）" rules={[{ required: true, message: "请选择到期日" }]}>
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
      </ActionModal>
    </>
  );
}

/** The admin's users: list with filters, roles and courts, deactivate and reactivate, reset passwords; new users; API tokens. */
export default function UsersPage() {
  const [secret, setSecret] = useState<{ title: string; who: string; label: string; value: string } | null>(null);
  return (
    <div>
      <PageHeader title="用户" sub="Users: sign-in accounts, one-time passwords, API tokens for other systems" />
      <Tabs
        destroyOnHidden
        items={[
          { key: "users", label: "用户列表", children: <Card><UsersTab onSecret={setSecret} /></Card> },
          { key: "new", label: "新建用户", children: <NewUserCard onSecret={setSecret} /> },
          { key: "tokens", label: "API 令牌", children: <Card><ApiTokensTab onSecret={setSecret} /></Card> },
        ]}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
