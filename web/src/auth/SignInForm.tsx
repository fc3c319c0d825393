import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Tabs from "antd/es/tabs";
import Typography from "antd/es/typography";
import { useState } from "react";
import { api, type Schemas } from "../api/client";
import { ApiError, unwrap } from "../api/errors";
import { ProblemAlert } from "../components/Problem";
import { setSession } from "./session";

export interface SignedIn {
  user: Schemas["User"];
  mustChangePassword: boolean;
}

/**
 * Username and password (POST /v1/sessions), or — for API tokens, and on a server where
 * password sign-in is not switched on yet (it answers 501) — a bearer token checked with
 * GET /v1/users/me.
 */
export function SignInForm({ onSignedIn }: { onSignedIn: (s: SignedIn) => void }) {
  const [tab, setTab] = useState<"password" | "token">("password");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [noPasswordSignIn, setNoPasswordSignIn] = useState(false);

  const finish = (token: string, kind: "password" | "token", user: Schemas["User"], mustChangePassword: boolean) => {
    setSession({ token, kind, userId: user.id || undefined });
    onSignedIn({ user, mustChangePassword });
  };

  const signInWithPassword = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.POST("/v1/sessions", { body: { username: v.username.trim(), password: v.password } });
      if (res.response.status === 501 || res.response.status === 404) {
        setNoPasswordSignIn(true);
        setTab("token");
        return;
      }
      const s = unwrap(res);
      finish(s.token, "password", s.user, s.mustChangePassword);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const signInWithToken = async (v: { token: string }) => {
    setBusy(true);
    setError(null);
    const token = v.token.trim();
    try {
      const res = await api.GET("/v1/users/me", { headers: { Authorization: `Bearer ${token}` } });
      if (res.response.status === 403 && (res.error as { code?: string } | undefined)?.code === "password_change_required") {
        finish(token, "token", { id: "", username: "", name: "", active: true, roles: [], courtIds: [], createdAt: "" }, true);
        return;
      }
      const user = unwrap(res);
      finish(token, "token", user, false);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new ApiError(401, { code: "unauthorized", detail: "令牌无效或已被停用 (The token is not valid)" }) : err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <ProblemAlert error={error} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as "password" | "token")}
        items={[
          {
            key: "password",
            label: "账号登录",
            children: (
              <Form layout="vertical" onFinish={signInWithPassword} requiredMark={false} name="password-sign-in">
                <Form.Item name="username" label="用户名" rules={[{ required: true, message: "请输入用户名" }, { pattern: /^[A-Za-z0-9._-]{3,32}$/, message: "用户名为 3–32 位字母、数字或 . _ -" }]}>
                  <Input autoFocus autoComplete="username" />
                </Form.Item>
                <Form.Item name="password" label="密码" rules={[{ required: true, message: "请输入密码" }]}>
                  <Input.Password autoComplete="current-password" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={busy}>
                  登录
                </Button>
              </Form>
            ),
          },
          {
            key: "token",
            label: "使用令牌登录",
            children: (
              <Form layout="vertical" onFinish={signInWithToken} requiredMark={false} name="token-sign-in">
                {noPasswordSignIn ? <Alert type="info" showIcon style={{ marginBottom: 12 }} title="本服务器尚未启用账号密码登录，请使用管理员发给您的令牌登录。" /> : null}
                <Form.Item name="token" label="访问令牌" rules={[{ required: true, message: "请输入令牌" }]}>
                  <Input.Password autoFocus={tab === "token"} autoComplete="off" aria-label="访问令牌" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={busy}>
                  登录
                </Button>
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  Sign in with an API token (the one shown once when the user was created).
                </Typography.Paragraph>
              </Form>
            ),
          },
        ]}
      />
    </div>
  );
}

/** POST /v1/users/me/password: required after a one-time password, and from the user menu. */
export function ChangePasswordForm({ onDone, username }: { onDone: () => void; username?: string }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const submit = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST("/v1/users/me/password", { body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} name="change-password">
      <ProblemAlert error={error} />
      <Form.Item name="currentPassword" label="当前密码（初始密码）" rules={[{ required: true, message: "请输入当前密码" }]}>
        <Input.Password autoFocus autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        extra="至少 10 位，不能是用户名，不能是常见密码"
        rules={[
          { required: true, message: "请输入新密码" },
          { min: 10, message: "新密码至少 10 位" },
          { validator: async (_r, v: string) => { if (username && v && v.toLowerCase() === username.toLowerCase()) throw new Error("新密码不能与用户名相同"); } },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="再次输入新密码"
        dependencies={["newPassword"]}
        rules={[{ required: true, message: "请再次输入新密码" }, ({ getFieldValue }) => ({ validator: async (_r, v) => { if (v && v !== getFieldValue("newPassword")) throw new Error("两次输入的新密码不一致"); } })]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block>
        修改密码
      </Button>
    </Form>
  );
}
