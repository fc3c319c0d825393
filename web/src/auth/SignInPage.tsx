import Card from "antd/es/card";
import Typography from "antd/es/typography";
import { useQueryClient } from "@tanstack/react-query";
import { SignInForm } from "./SignInForm";

/** The whole page when nobody is signed in in this tab. */
export default function SignInPage() {
  const qc = useQueryClient();
  return (
    <div className="sign-in-page">
      <Card style={{ width: 400 }}>
        <Typography.Title level={3} style={{ textAlign: "center", marginBottom: 4 }}>
          执行案款管理
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
          Court enforcement funds workbench
        </Typography.Paragraph>
        <SignInForm onSignedIn={() => qc.removeQueries()} />
      </Card>
    </div>
  );
}
