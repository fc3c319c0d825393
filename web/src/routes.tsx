import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { Schemas } from "./api/client";

type Role = Schemas["Role"];

export interface RouteDef {
  path: string;
  title: string;
  roles: Role[];
  page: LazyExoticComponent<ComponentType>;
  /** Shown in the left menu under this group (one group per role). */
  menu?: boolean;
}

// Each screen is its own chunk (React.lazy): the first load carries only the shell.
const CasesPage = lazy(() => import("./pages/clerk/CasesPage"));
const NewCasePage = lazy(() => import("./pages/clerk/NewCasePage"));
const CasePage = lazy(() => import("./pages/clerk/CasePage"));
const BatchesPage = lazy(() => import("./pages/finance/BatchesPage"));
const BatchPage = lazy(() => import("./pages/finance/BatchPage"));
const ReconciliationPage = lazy(() => import("./pages/finance/ReconciliationPage"));
const StatementsPage = lazy(() => import("./pages/finance/StatementsPage"));
const UnidentifiedFundsPage = lazy(() => import("./pages/finance/UnidentifiedFundsPage"));
const TransfersPage = lazy(() => import("./pages/finance/TransfersPage"));
const ApprovalsPage = lazy(() => import("./pages/approver/ApprovalsPage"));
const ListingsPage = lazy(() => import("./pages/lists/ListingsPage"));
const ListingPage = lazy(() => import("./pages/lists/ListingPage"));
const FreezesPage = lazy(() => import("./pages/lists/FreezesPage"));
const DisbursementsPage = lazy(() => import("./pages/reports/DisbursementsPage"));
const HeldFundsPage = lazy(() => import("./pages/reports/HeldFundsPage"));
const DebtorListPage = lazy(() => import("./pages/reports/DebtorListPage"));
const RedFlagsPage = lazy(() => import("./pages/reports/RedFlagsPage"));
const AuditPage = lazy(() => import("./pages/reports/AuditPage"));
const InspectionsPage = lazy(() => import("./pages/inspections/InspectionsPage"));
const RectificationsPage = lazy(() => import("./pages/inspections/RectificationsPage"));
const ComplaintsPage = lazy(() => import("./pages/inspections/ComplaintsPage"));
const UsersPage = lazy(() => import("./pages/admin/UsersPage"));
const CourtsPage = lazy(() => import("./pages/admin/CourtsPage"));
const CalendarPage = lazy(() => import("./pages/admin/CalendarPage"));

const ALL: Role[] = ["admin", "clerk", "finance", "approver", "list_officer", "inspector"];

export const ROUTES: RouteDef[] = [
  { path: "/cases", title: "案件", roles: ["clerk", "finance", "approver", "list_officer", "inspector"], page: CasesPage, menu: true },
  { path: "/cases/new", title: "新建案件", roles: ["clerk"], page: NewCasePage, menu: true },
  { path: "/cases/:id", title: "案件详情", roles: ALL, page: CasePage },
  { path: "/finance", title: "待支付批次", roles: ["finance"], page: BatchesPage, menu: true },
  { path: "/batches", title: "发放批次", roles: ["clerk", "finance", "approver", "inspector"], page: BatchesPage, menu: true },
  { path: "/batches/:id", title: "批次详情", roles: ALL, page: BatchPage },
  { path: "/finance/statements", title: "导入对账单", roles: ["finance"], page: StatementsPage, menu: true },
  { path: "/finance/unidentified", title: "不明款认领", roles: ["finance", "clerk"], page: UnidentifiedFundsPage, menu: true },
  { path: "/finance/transfers", title: "调账审批", roles: ["finance", "approver"], page: TransfersPage, menu: true },
  { path: "/finance/reconciliation", title: "对账", roles: ["finance", "approver", "inspector", "admin"], page: ReconciliationPage, menu: true },
  { path: "/approvals", title: "审批待办", roles: ["approver"], page: ApprovalsPage, menu: true },
  { path: "/listings", title: "失信名单", roles: ["list_officer", "approver"], page: ListingsPage, menu: true },
  { path: "/listings/:id", title: "失信名单详情", roles: ALL, page: ListingPage },
  { path: "/freezes", title: "冻结到期", roles: ["list_officer", "clerk"], page: FreezesPage, menu: true },
  { path: "/reports/disbursements", title: "案款发放报表", roles: ["inspector", "approver"], page: DisbursementsPage, menu: true },
  { path: "/reports/held-funds", title: "在账款账龄", roles: ["inspector", "approver", "finance"], page: HeldFundsPage, menu: true },
  { path: "/reports/debtor-list", title: "失信名单报表", roles: ["inspector", "approver"], page: DebtorListPage, menu: true },
  { path: "/reports/red-flags", title: "风险提示", roles: ["inspector", "approver"], page: RedFlagsPage, menu: true },
  { path: "/audit", title: "审计日志", roles: ["inspector", "admin"], page: AuditPage, menu: true },
  { path: "/inspections", title: "巡察整改", roles: ["inspector"], page: InspectionsPage, menu: true },
  { path: "/rectifications", title: "巡察问题整改", roles: ["clerk", "finance", "approver", "list_officer"], page: RectificationsPage, menu: true },
  { path: "/complaints", title: "来信来访", roles: ["inspector", "clerk"], page: ComplaintsPage, menu: true },
  { path: "/admin/users", title: "用户", roles: ["admin"], page: UsersPage, menu: true },
  { path: "/admin/courts", title: "法院", roles: ["admin"], page: CourtsPage, menu: true },
  { path: "/admin/calendar", title: "工作日历", roles: ["admin"], page: CalendarPage, menu: true },
];

/** Each role's home page and the order of its menu. */
export const ROLE_MENUS: { role: Role; home: string; paths: string[] }[] = [
  { role: "clerk", home: "/cases", paths: ["/cases", "/cases/new", "/batches", "/freezes", "/finance/unidentified", "/rectifications", "/complaints"] },
  { role: "finance", home: "/finance", paths: ["/finance", "/finance/statements", "/finance/unidentified", "/finance/transfers", "/batches", "/cases", "/finance/reconciliation", "/reports/held-funds", "/rectifications"] },
  { role: "approver", home: "/approvals", paths: ["/approvals", "/finance/transfers", "/batches", "/listings", "/reports/disbursements", "/reports/held-funds", "/reports/debtor-list", "/reports/red-flags", "/rectifications"] },
  { role: "list_officer", home: "/listings", paths: ["/listings", "/freezes", "/cases", "/rectifications"] },
  { role: "inspector", home: "/reports/disbursements", paths: ["/reports/disbursements", "/reports/held-funds", "/reports/debtor-list", "/reports/red-flags", "/inspections", "/complaints", "/audit", "/finance/reconciliation"] },
  { role: "admin", home: "/admin/users", paths: ["/admin/users", "/admin/courts", "/admin/calendar", "/audit"] },
];

export function homeOf(roles: Role[]): string {
  return ROLE_MENUS.find((m) => roles.includes(m.role))?.home ?? "/cases";
}
