import Spin from "antd/es/spin";

/** The progress indicator of anything slower than a blink. */
export function Loading({ tip = "加载中…" }: { tip?: string }) {
  return (
    <div style={{ padding: 48, textAlign: "center" }}>
      <Spin description={tip} />
    </div>
  );
}
