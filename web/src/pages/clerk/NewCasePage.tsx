import Button from "antd/es/button";
import Card from "antd/es/card";
import Col from "antd/es/col";
import DatePicker from "antd/es/date-picker";
import Divider from "antd/es/divider";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Row from "antd/es/row";
import Select from "antd/es/select";
import Space from "antd/es/space";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useNavigate } from "react-router";
import { api, type Schemas } from "../../api/client";
import { unwrap } from "../../api/errors";
import { CourtSelect } from "../../components/CourtSelect";
import { moneyRules, PageHeader } from "../../components/common";
import { applyFieldErrors, ProblemAlert } from "../../components/Problem";
import { DATE_FORMAT, toDateString } from "../../lib/dates";

interface PartyForm {
  name: string;
  kind: "person" | "organization";
  idNumber?: string;
  bankName?: string;
  accountName?: string;
  accountNumber?: string;
}

function toParty(p: PartyForm): Schemas["PartyInput"] {
  const party: Schemas["PartyInput"] = { name: p.name.trim(), kind: p.kind };
  if (p.idNumber?.trim()) party.idNumber = p.idNumber.trim();
  if (p.accountNumber?.trim()) party.bankAccount = { bankName: (p.bankName ?? "").trim(), accountName: (p.accountName ?? p.name).trim(), accountNumber: p.accountNumber.trim() };
  return party;
}

function PartyList({ name, title, withAccount }: { name: "applicants" | "debtors"; title: string; withAccount: boolean }) {
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          <Divider titlePlacement="start">{title}</Divider>
          {fields.map((f, i) => (
            <Card key={f.key} size="small" style={{ marginBottom: 12 }} title={`${title} ${i + 1}`} extra={fields.length > 1 ? <Button size="small" danger onClick={() => remove(f.name)}>删除</Button> : null}>
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item name={[f.name, "name"]} label="姓名/名称" rules={[{ required: true, whitespace: true, message: "请输入姓名或名称" }]}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item name={[f.name, "kind"]} label="类型" initialValue="person">
                    <Select options={[{ value: "person", label: "自然人" }, { value: "organization", label: "单位" }]} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name={[f.name, "idNumber"]} label="身份证号/统一社会信用代码" rules={[{ pattern: /^[0-9A-Za-z-]{4,64}$/, message: "只能是字母、数字和 -" }]}>
                    <Input autoComplete="off" />
                  </Form.Item>
                </Col>
              </Row>
              {withAccount ? (
                <Row gutter={12}>
                  <Col span={8}>
                    <Form.Item name={[f.name, "bankName"]} label="开户行" dependencies={[[name, f.name, "accountNumber"]]} rules={[({ getFieldValue }) => ({ required: !!getFieldValue([name, f.name, "accountNumber"]), message: "填写账号时须填写开户行" })]}>
                      <Input placeholder="如 中国农业银行江华支行" />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item name={[f.name, "accountName"]} label="户名">
                      <Input placeholder="默认与姓名相同" />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item name={[f.name, "accountNumber"]} label="账号" rules={[{ pattern: /^[0-9]{8,32}$/, message: "账号为 8–32 位数字" }]}>
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Col>
                </Row>
              ) : null}
            </Card>
          ))}
          <Button type="dashed" block onClick={() => add({ kind: "person" })}>
            添加{title}
          </Button>
        </>
      )}
    </Form.List>
  );
}

export default function NewCasePage() {
  const [form] = Form.useForm();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { courtId: string; caseNumber: string; cause: string; filedOn: Dayjs; adjudicatedAmount: string; applicants: PartyForm[]; debtors: PartyForm[] }) => {
    setBusy(true);
    setError(null);
    try {
      const created = unwrap(
        await api.POST("/v1/cases", {
          body: {
            courtId: v.courtId,
            caseNumber: v.caseNumber.trim(),
            cause: v.cause.trim(),
            filedOn: toDateString(v.filedOn),
            adjudicatedAmount: v.adjudicatedAmount,
            applicants: v.applicants.map(toParty),
            debtors: v.debtors.map(toParty),
          },
        }),
      );
      navigate(`/cases/${created.id}`);
    } catch (err) {
      setError(err);
      applyFieldErrors(form, err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="新建案件" sub="New enforcement case" />
      <Card>
        <ProblemAlert error={error} />
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ applicants: [{ kind: "person" }], debtors: [{ kind: "person" }] }} scrollToFirstError name="new-case">
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="courtId" label="法院" rules={[{ required: true, message: "请选择法院" }]}>
                <CourtSelect />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="caseNumber" label="案号" rules={[{ required: true, whitespace: true, message: "请输入案号" }, { max: 100 }]}>
                <Input placeholder="(2024)湘1129执123号" autoFocus />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="cause" label="案由" rules={[{ required: true, whitespace: true, message: "请输入案由" }, { max: 500 }]}>
                <Input placeholder="借款合同纠纷" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="filedOn" label="立案日期" rules={[{ required: true, message: "请选择立案日期" }]}>
                <DatePicker format={DATE_FORMAT} style={{ width: "100%" }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="adjudicatedAmount" label="执行标的（元）" rules={[{ required: true, message: "请输入执行标的金额" }, ...moneyRules({ required: true })]}>
                <Input inputMode="decimal" placeholder="80000.00" autoComplete="off" />
              </Form.Item>
            </Col>
          </Row>
          <PartyList name="applicants" title="申请执行人" withAccount />
          <PartyList name="debtors" title="被执行人" withAccount={false} />
          <Space style={{ marginTop: 24 }}>
            <Button type="primary" htmlType="submit" loading={busy}>
              保存案件
            </Button>
            <Button onClick={() => navigate(-1)}>取消</Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
