import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import AntApp from "antd/es/app";
import ConfigProvider from "antd/es/config-provider";
import zhCN from "antd/locale/zh_CN";
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { ApiError } from "./api/errors";
import { useSession } from "./auth/session";
import "./lib/dates";
import "./styles.css";
import { Loading } from "./components/Loading";

// The sign-in page and the workbench shell are chunks of their own: a first visit loads only
// what the sign-in page needs, a signed-in tab only the shell and its home page.
const SignInPage = lazy(() => import("./auth/SignInPage"));
const Workbench = lazy(() => import("./Workbench"));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) is an answer, not a network blip: do not ask again.
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function Root() {
  const session = useSession();
  return <Suspense fallback={<Loading />}>{session ? <Workbench /> : <SignInPage />}</Suspense>;
}

// People who ask their system for less motion get none: pop-ups and dialogs appear at once (and a
// browser test that asks the same never clicks a button that is still flying in).
const reducedMotion = typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          // Court PCs have Microsoft YaHei; Linux test machines WenQuanYi.
          fontFamily: '-apple-system, "Segoe UI", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif',
          colorPrimary: "#1f4e9c",
          motion: !reducedMotion,
        },
      }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Root />
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
