import Modal from "antd/es/modal";
import Typography from "antd/es/typography";
import message from "antd/es/message";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { finishReauth, useReauth } from "./reauth";
import { getSession } from "./session";
import { ChangePasswordForm, SignInForm } from "./SignInForm";

/**
 * Opens over the current page when the session ends or a password must be changed; the page and
 * its open forms stay as they were, and the refused request is sent again afterwards.
 */
export function ReauthModal({ userId, username }: { userId: string; username?: string }) {
  const reason = useReauth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [msg, holder] = message.useMessage();
  return (
    <>
      {holder}
      <Modal
        open={reason !== null}
        title={reason === "password_change" ? "请先修改初始密码" : "登录已失效，请重新登录"}
        footer={null}
        mask={{ closable: false }}
        keyboard={false}
        onCancel={() => finishReauth(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {reason === "password_change"
            ? "Your one-time password must be changed first; then your request is sent again."
            : "您填写的内容仍然保留，重新登录后将自动继续刚才的操作。Your session ended; what you typed is kept."}
        </Typography.Paragraph>
        {reason === "password_change" ? (
          <ChangePasswordForm username={username} onDone={() => finishReauth(true)} />
        ) : (
          <SignInForm
            onSignedIn={(s) => {
              const same = s.user.id === "" || s.user.id === userId || getSession()?.userId === userId;
              if (!same) {
                // Another person signed in: the first person's pending requests are dropped, not sent in the new name.
                finishReauth(false);
                qc.removeQueries();
                navigate("/");
                msg.info("已切换为其他用户 Signed in as another user");
                return;
              }
              finishReauth(true);
              qc.invalidateQueries({ queryKey: ["me"] });
            }}
          />
        )}
      </Modal>
    </>
  );
}
