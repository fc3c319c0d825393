import Select from "antd/es/select";
import { useEffect } from "react";
import { useCourts } from "../api/queries";

/** Picks one of the user's courts; with `allowAll`, empty means all of them. Defaults to the first. */
export function CourtSelect({ value, onChange, allowAll, style }: { value?: string; onChange?: (v: string | undefined) => void; allowAll?: boolean; style?: React.CSSProperties }) {
  const courts = useCourts();
  useEffect(() => {
    if (!allowAll && !value && courts.data?.length) onChange?.(courts.data[0].id);
  }, [allowAll, value, courts.data, onChange]);
  return (
    <Select
      aria-label="法院"
      style={{ minWidth: 220, ...style }}
      loading={courts.isLoading}
      value={value}
      allowClear={allowAll}
      placeholder={allowAll ? "全部法院" : "选择法院"}
      onChange={(v) => onChange?.(v ?? undefined)}
      options={(courts.data ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.code}）` }))}
    />
  );
}
