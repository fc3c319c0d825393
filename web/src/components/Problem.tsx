import Alert from "antd/es/alert";
import Typography from "antd/es/typography";
import type { FormInstance } from "antd/es/form";
import { ApiError, fieldMessage, fieldNameOf, messageFor } from "../api/errors";

/** A refusal shown in Chinese first, English second, with the server's detail and field errors. */
export function ProblemAlert({ error }: { error: unknown }) {
  if (!error) return null;
  const api = error instanceof ApiError ? error : null;
  const msg = api
    ? messageFor(api.code, api.status)
    : error instanceof TypeError
      ? { zh: "网络错误或服务器无响应，请检查网络后重试", en: error.message }
      : { zh: String((error as Error)?.message ?? error), en: "" };
  const cases = (api?.problem.cases as { caseId: string; available: string; requested: string }[] | undefined) ?? [];
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-code={api?.code}
      style={{ marginBottom: 16 }}
      title={
        <span>
          {msg.zh} <Typography.Text type="secondary">{msg.en}</Typography.Text>
          {api?.code ? <Typography.Text code style={{ marginLeft: 8 }}>{api.code}</Typography.Text> : null}
        </span>
      }
      description={
        <div>
          {api?.problem.detail ? <div>{api.problem.detail}</div> : null}
          {api?.retryAfter ? <div>请在 {api.retryAfter} 秒后再试。</div> : null}
          {api?.problem.errors?.length ? (
            <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
              {api.problem.errors.map((e, i) => (
                <li key={i}>
                  <Typography.Text code>{e.path}</Typography.Text> {fieldMessage(e.message)}
                </li>
              ))}
            </ul>
          ) : null}
          {cases.length ? (
            <ul style={{ margin: "4px 0 0", paddingLeft: 20 }}>
              {cases.map((c) => (
                <li key={c.caseId}>
                  案件 {c.caseId.slice(0, 8)}：可发放 {c.available} 元，申请发放 {c.requested} 元
                </li>
              ))}
            </ul>
          ) : null}
          {api?.problem.requestId ? <Typography.Text type="secondary">请求编号 Request id: {String(api.problem.requestId)}</Typography.Text> : null}
        </div>
      }
    />
  );
}

/** Puts the field errors of a validation_failed answer on the form's own fields. */
export function applyFieldErrors(form: FormInstance, error: unknown): void {
  if (!(error instanceof ApiError) || !error.problem.errors) return;
  const fields = error.problem.errors
    .map((e) => ({ name: fieldNameOf(e.path), errors: [fieldMessage(e.message)] }))
    .filter((f): f is { name: (string | number)[]; errors: string[] } => f.name !== null);
  try {
    form.setFields(fields);
  } catch {
    // a path the form has no field for: the alert lists it
  }
}
