import { useRef, useState } from "react";
import Button from "antd/es/button";
import Typography from "antd/es/typography";

/**
 * A file chooser labelled in Chinese: the browser's own input says "Choose File / No file chosen"
 * in the browser's language, whatever the page's. The input stays in the page (hidden), keeping its
 * test id, so that tests and assistive tools still reach it.
 */
export function FilePicker(props: { accept: string; testId: string; onChange: (file: File | null) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [name, setName] = useState<string | null>(null);
  return (
    <span style={{ display: "inline-flex", gap: 8, alignItems: "center" }}>
      <input
        ref={input}
        type="file"
        accept={props.accept}
        data-testid={props.testId}
        aria-label="选择文件 Choose a file"
        style={{ display: "none" }}
        onChange={(e) => {
          const file = e.target.files?.[0] ?? null;
          setName(file?.name ?? null);
          props.onChange(file);
        }}
      />
      <Button onClick={() => input.current?.click()}>选择文件 · Choose file</Button>
      <Typography.Text type={name ? undefined : "secondary"} data-testid={`${props.testId}-name`}>
        {name ?? "未选择文件 · none chosen"}
      </Typography.Text>
    </span>
  );
}
