import { useQueryClient } from "@tanstack/react-query";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Dropdown from "antd/es/dropdown";
import Layout from "antd/es/layout";
import Menu from "antd/es/menu";
import Modal from "antd/es/modal";
import Space from "antd/es/space";
import Tag from "antd/es/tag";
import Typography from "antd/es/typography";
import { Suspense, useEffect, useMemo, useState } from "react";
import { Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { api } from "./api/client";
import { ApiError } from "./api/errors";
import { useMe } from "./api/queries";
import { setWorkbenchOpen } from "./auth/reauth";
import { ReauthModal } from "./auth/ReauthModal";
import { getSession, setSession } from "./auth/session";
import { ChangePasswordForm } from "./auth/SignInForm";
import { Loading } from "./components/Loading";
import { ProblemAlert } from "./components/Problem";
import { ROLE_LABELS } from "./lib/labels";
import { homeOf, ROLE_MENUS, ROUTES } from "./routes";

async function signOut() {
  const s = getSession();
  if (s?.kind === "password") {
    // The session token must fail at once; an API token is only forgotten by this tab.
    await api.DELETE("/v1/sessions/current").catch(() => undefined);
  }
  setSession(null);
}

export default function Workbench() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [changingPassword, setChangingPassword] = useState(false);

  useEffect(() => {
    setWorkbenchOpen(!!me.data);
    return () => setWorkbenchOpen(false);
  }, [me.data]);
  useEffect(() => {
    if (me.error instanceof ApiError && me.error.status === 401) setSession(null);
  }, [me.error]);

  const user = me.data;
  const menuItems = useMemo(() => {
    if (!user) return [];
    return ROLE_MENUS.filter((m) => user.roles.includes(m.role)).map((m) => ({
      key: `role:${m.role}`,
      type: "group" as const,
      label: ROLE_LABELS[m.role],
      children: m.paths.map((p) => ({ key: `${m.role}:${p}`, label: ROUTES.find((r) => r.path === p)?.title ?? p, "data-path": p })),
    }));
  }, [user]);

  if (me.error instanceof ApiError && me.error.code === "password_change_required") {
    return (
      <div className="sign-in-page">
        <Card title="首次登录：请修改初始密码" style={{ width: 420 }}>
          <ChangePasswordForm onDone={() => qc.invalidateQueries({ queryKey: ["me"] })} />
        </Card>
      </div>
    );
  }
  if (me.isLoading) return <Loading tip="正在读取用户信息…" />;
  if (!user) return <div style={{ padding: 48 }}><ProblemAlert error={me.error} /><Button onClick={() => setSession(null)}>重新登录</Button></div>;

  const allowed = ROUTES.filter((r) => r.roles.some((role) => user.roles.includes(role)));
  const selected = menuItems.flatMap((g) => g.children).filter((i) => i["data-path"] === location.pathname).map((i) => i.key);

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider width={220} theme="dark" className="no-print" breakpoint="lg" collapsedWidth={0}>
        <div className="brand">执行案款管理</div>
        <Menu theme="dark" mode="inline" selectedKeys={selected} items={menuItems} onClick={(e) => navigate(e.key.slice(e.key.indexOf(":") + 1))} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header no-print">
          <Space>
            {user.roles.map((r) => (
              <Tag key={r} color="blue">
                {ROLE_LABELS[r]}
              </Tag>
            ))}
          </Space>
          <Dropdown
            menu={{
              items: [
                { key: "password", label: "修改密码" },
                { key: "signout", label: "退出登录" },
              ],
              onClick: async ({ key }) => {
                if (key === "password") setChangingPassword(true);
                else {
                  await signOut();
                  qc.removeQueries();
                  navigate("/");
                }
              },
            }}
          >
            <Button type="text" data-testid="user-menu">
              <Typography.Text strong style={{ color: "inherit" }}>{user.name}</Typography.Text>
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/" element={<Navigate to={homeOf(user.roles)} replace />} />
              {allowed.map((r) => (
                <Route key={r.path} path={r.path} element={<r.page />} />
              ))}
              <Route
                path="*"
                element={
                  <Card style={{ textAlign: "center", padding: 24 }}>
                    <Typography.Title level={4}>页面不存在或您无权访问</Typography.Title>
                    <Typography.Paragraph type="secondary">Not found, or not for your role</Typography.Paragraph>
                    <Button onClick={() => navigate("/")}>返回首页</Button>
                  </Card>
                }
              />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
      <ReauthModal userId={user.id} username={user.username} />
      <Modal open={changingPassword} title="修改密码" footer={null} onCancel={() => setChangingPassword(false)} destroyOnHidden>
        <ChangePasswordForm username={user.username} onDone={() => setChangingPassword(false)} />
      </Modal>
    </Layout>
  );
}
