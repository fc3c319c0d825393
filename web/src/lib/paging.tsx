import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Button from "antd/es/button";
import Select from "antd/es/select";
import Space from "antd/es/space";
import Typography from "antd/es/typography";
import { useEffect, useState } from "react";

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * A table's pages through the API's cursors (`?limit=&cursor=`): one page in memory at a time,
 * the cursors of the pages already seen kept so that 上一页 works. Filters in `key` start over.
 */
export function useCursorPages<T>(key: unknown[], fetchPage: (cursor: string | undefined, limit: number) => Promise<Page<T>>, initialLimit = 20) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [limit, setLimit] = useState(initialLimit);
  const filterKey = JSON.stringify(key);
  useEffect(() => setCursors([undefined]), [filterKey, limit]);
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, { cursor, limit }],
    queryFn: () => fetchPage(cursor, limit),
    placeholderData: keepPreviousData,
  });
  const nextCursor = query.data?.nextCursor ?? null;
  return {
    rows: query.data?.data ?? [],
    query,
    loading: query.isFetching,
    pageNo: cursors.length,
    limit,
    setLimit,
    hasNext: nextCursor !== null,
    hasPrev: cursors.length > 1,
    next: () => nextCursor && setCursors((c) => [...c, nextCursor]),
    prev: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

export function CursorPager({ pages }: { pages: ReturnType<typeof useCursorPages<unknown>> }) {
  return (
    <Space style={{ marginTop: 12, justifyContent: "flex-end", width: "100%" }}>
      <Typography.Text type="secondary">第 {pages.pageNo} 页</Typography.Text>
      <Button size="small" disabled={!pages.hasPrev || pages.loading} onClick={pages.prev}>
        上一页
      </Button>
      <Button size="small" disabled={!pages.hasNext || pages.loading} onClick={pages.next}>
        下一页
      </Button>
      <Select
        size="small"
        value={pages.limit}
        onChange={pages.setLimit}
        options={[20, 50, 100].map((n) => ({ value: n, label: `每页 ${n} 条` }))}
        style={{ width: 110 }}
      />
    </Space>
  );
}
