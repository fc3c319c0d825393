import { useQuery } from "@tanstack/react-query";
import Tag from "antd/es/tag";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";

/**
 * The name check of a submitted batch in the approver's list: how many items pay an account whose
 * name is not the payee's (户名不符), read from the batch itself, so that nobody approves from the
 * list without seeing it.
 */
export function NameCheckTag({ batchId }: { batchId: string }) {
  const batch = useQuery({ queryKey: ["batch", batchId], queryFn: async () => unwrap(await api.GET("/v1/payout-batches/{id}", { params: { path: { id: batchId } } })) });
  if (!batch.data) return <span>…</span>;
  const mismatches = batch.data.items.filter((i) => i.payee?.nameMismatch).length;
  return mismatches > 0 ? <Tag color="red" data-testid="queue-name-mismatch">户名不符 {mismatches} 笔</Tag> : <Tag color="green">一致</Tag>;
}
