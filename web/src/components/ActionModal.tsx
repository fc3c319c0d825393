import Button from "antd/es/button";
import Form from "antd/es/form";
import Modal from "antd/es/modal";
import Space from "antd/es/space";
import type { FormInstance } from "antd/es/form";
import { useState, type ReactNode } from "react";
import { useIdempotencyKey } from "../lib/idempotency";
import { applyFieldErrors, ProblemAlert } from "./Problem";

/**
 * A dialog with one form for one action. Enter submits (the submit button is inside the form);
 * while the request runs the button spins and a second click does nothing; a refusal stays in the
 * dialog with the typed values. `keyFor(body)` gives the Idempotency-Key of this attempt.
 */
export function ActionModal<V extends object>({
  open,
  title,
  onClose,
  onSubmit,
  submitText = "确定",
  danger,
  initialValues,
  children,
  width,
  name,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  onSubmit: (values: V, keyFor: (body: unknown) => string, form: FormInstance<V>) => Promise<void>;
  submitText?: string;
  danger?: boolean;
  initialValues?: Partial<V>;
  children: ReactNode;
  width?: number;
  name: string;
}) {
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const idem = useIdempotencyKey();

  const finish = async (values: V) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values, idem.keyFor, form);
      idem.done();
      form.resetFields();
      onClose();
    } catch (err) {
      setError(err);
      applyFieldErrors(form, err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={title} onCancel={busy ? undefined : onClose} footer={null} destroyOnHidden width={width}>
      <ProblemAlert error={error} />
      <Form<V> form={form} layout="vertical" onFinish={finish} initialValues={initialValues} name={name}>
        {children}
        <Space style={{ width: "100%", justifyContent: "flex-end" }}>
          <Button onClick={onClose} disabled={busy}>
            取消
          </Button>
          <Button type="primary" danger={danger} htmlType="submit" loading={busy}>
            {submitText}
          </Button>
        </Space>
      </Form>
    </Modal>
  );
}
