import type { Knex } from "knex";
import type { Logger } from "pino";
import type { Config } from "../../api/config";
import type { Actor, Role } from "../../api/core/actor";
import { inProcessOperations } from "../../api/operations";
import { inProcessCaller, type InProcessCaller } from "../../api/runner/in-process";
import { runSystemWrite } from "../../api/runner/runner";
import { addDays, todayInChina } from "../../api/core/dates";
import { hashPassword, oneTimePassword } from "../../api/users/passwords";
import { createUser } from "../../api/users/users-service";
import { withTransaction } from "../../db/transaction";
import { COUNTY_PERIOD, seedCountyDemo } from "./demo-county";
import { seedDemoInspections } from "./demo-inspections";
import { seedDemoListings } from "./demo-listings";
import { seedDemoPayouts } from "./demo-payouts";
import { DEMO_ACCOUNTS } from "./demo-statement";

export interface DemoSeedResult {
  /** Each demo user's username and password (for the workbench) and an API token (for curl). */
  users: { role: Role; name: string; username: string; password: string; token: string }[];
  courts: { jh: string; lx: string };
  /** The county court's disbursement report for the newspaper's period. */
  reportPath: string;
  hints: string[];
}

export interface SeedDeps {
  knex: Knex;
  config: Config;
  logger: Logger;
}

export interface SeedOptions {
  log?: (message: string) => void;
}

export interface DemoActors {
  admin: Actor;
  clerk: Actor;
  finance: Actor;
  approver: Actor;
  listOfficer: Actor;
  inspector: Actor;
}

export interface DemoCourts {
  jh: { id: string; code: string };
  lx: { id: string; code: string };
}

const SEED_REQUEST = "demo-seed";

/**
 * The demo, made through the same runner as the API (the operations called in process), so that
 * roles and four-eyes rules hold and every step is audited like real work: two courts, one user
 * per role, the county court of the newspaper story, listings, freezes and batches. One
 * transaction: a demo is seeded whole or not at all. Tokens are random and printed once.
 */
export async function seedDemo(deps: SeedDeps, options: SeedOptions = {}): Promise<DemoSeedResult> {
  const log = options.log ?? (() => {});
  return withTransaction(deps.knex, async (tx) => {
    // Demo passwords are printed on the console: they are hashed at scrypt's lowest cost, so that seeding stays quick.
    const config = { ...deps.config, passwordScryptCost: 14 };
    const adminPassword = demoPassword();
    const adminHash = await hashPassword(adminPassword, config.passwordScryptCost);
    const system = await runSystemWrite({ knex: tx, config, log: deps.logger }, SEED_REQUEST, (ctx) =>
      createUser(ctx, { username: "admin", name: "Demo admin", roles: ["admin"], courtIds: [], password: { hash: adminHash, mustChange: false } }),
    );
    const call = inProcessCaller({ knex: tx, config, log: deps.logger, operations: inProcessOperations(), requestId: SEED_REQUEST });
    const admin: Actor = { id: system.id, name: system.name, roles: ["admin"], courtIds: [] };
    const tokenFor = async (userId: string) =>
      (await call("createApiToken", admin, { body: { userId, name: "demo (curl)", expiresOn: addDays(todayInChina(), 360) } })).token;
    const jh = await call("createCourt", admin, { body: { code: "JH", name: "江华瑶族自治县人民法院" } });
    const lx = await call("createCourt", admin, { body: { code: "LX", name: "临湘市人民法院" } });
    const courts: DemoCourts = { jh, lx };
    // 一案一账号 (issue 13): each court's master account and virtual account prefix, before any case.
    await call("updateCourt", admin, { params: { id: jh.id }, body: DEMO_ACCOUNTS.JH });
    await call("updateCourt", admin, { params: { id: lx.id }, body: DEMO_ACCOUNTS.LX });
    log("demo: courts JH and LX, with their master accounts");

    const courtIds = [jh.id, lx.id];
    const people: { key: keyof DemoActors; role: Role; name: string; username: string }[] = [
      { key: "clerk", role: "clerk", name: "李执行 (clerk)", username: "clerk" },
      { key: "finance", role: "finance", name: "王财务 (finance)", username: "finance" },
      { key: "approver", role: "approver", name: "张庭长 (approver)", username: "approver" },
      { key: "listOfficer", role: "list_officer", name: "赵名单 (list officer)", username: "officer" },
      { key: "inspector", role: "inspector", name: "陈巡察 (inspector)", username: "inspector" },
    ];
    const users: DemoSeedResult["users"] = [{ role: "admin", name: system.name, username: "admin", password: adminPassword, token: await tokenFor(system.id) }];
    const actors = { admin } as DemoActors;
    for (const p of people) {
      // Made as an admin would: a one-time password, which the user then changes at first sign-in.
      const u = await call("createUser", admin, { body: { username: p.username, name: p.name, roles: [p.role], courtIds } });
      const actor: Actor = { id: u.id, name: u.name, roles: [p.role], courtIds };
      const password = demoPassword();
      await call("changeOwnPassword", { ...actor, mustChangePassword: true }, { body: { currentPassword: u.initialPassword ?? "", newPassword: password } });
      users.push({ role: p.role, name: p.name, username: p.username, password, token: await tokenFor(u.id) });
      actors[p.key] = actor;
    }
    log(`demo: ${users.length} users`);

    const cases = await seedDemoCases(call, actors, courts);
    log(`demo: ${cases.length} cases with receipts`);
    await seedCountyDemo(call, { county: jh, neighbour: lx, actors, log });
    const listings = await seedDemoListings(call, { courtId: jh.id, clerk: actors.clerk, listOfficer: actors.listOfficer, approver: actors.approver, log });
    const payouts = await seedDemoPayouts(call, { courtId: jh.id, clerk: actors.clerk, approver: actors.approver, finance: actors.finance, log });
    const inspections = await seedDemoInspections(call, {
      courtId: jh.id,
      inspector: actors.inspector,
      clerk: actors.clerk,
      finance: actors.finance,
      listOfficer: actors.listOfficer,
      caseIds: payouts.caseIds,
      listingId: listings.listings.removalOverdue,
      log,
    });
    const report = `/v1/reports/disbursements?from=${COUNTY_PERIOD.from}&to=${COUNTY_PERIOD.to}&courtId=${jh.id}`;
    return {
      users,
      courts: { jh: jh.id, lx: lx.id },
      reportPath: report,
      hints: [
        `The county court's report ("284 cases, 10.73M yuan disbursed"), as the inspector:`,
        `  GET ${report}`,
        `  printable: ${report.replace("disbursements?", "disbursements.html?")}`,
        `Cases: GET /v1/cases?courtId=${jh.id}`,
        ...listings.hints,
        ...payouts.hints,
        ...inspections.hints,
      ],
    };
  });
}

/** A handful of cases in both courts, some fully performed, some with money held past its date. */
export async function seedDemoCases(call: InProcessCaller, actors: DemoActors, courts: DemoCourts): Promise<string[]> {
  const specs = [
    { court: courts.jh, number: "(2024)湘1129执101号", amount: "80000.00", applicant: "盘秀英", debtor: "江华某建材有限公司", receipts: [["30000.00", "2024-03-05", "deduction"], ["50000.00", "2024-03-18", "voluntary"]] },
    { court: courts.jh, number: "(2024)湘1129执102号", amount: "125000.00", applicant: "李国华", debtor: "赵某", receipts: [["40000.00", "2024-04-02", "voluntary"]] },
    { court: courts.jh, number: "(2024)湘1129执103号", amount: "6800.50", applicant: "奉小玲", debtor: "唐某某", receipts: [] },
    { court: courts.lx, number: "(2024)湘0682执55号", amount: "230000.00", applicant: "临湘某农业合作社", debtor: "周某", receipts: [["230000.00", "2024-05-10", "auction"]] },
  ] as const;
  const ids: string[] = [];
  for (const s of specs) {
    const created = await call("createCase", actors.clerk, {
      body: {
        courtId: s.court.id,
        caseNumber: s.number,
        cause: "民间借贷纠纷",
        filedOn: "2024-02-20",
        adjudicatedAmount: s.amount,
        applicants: [
          {
            name: s.applicant,
            kind: s.applicant.length > 4 ? "organization" : "person",
            bankAccount: { bankName: "中国农业银行", accountName: s.applicant, accountNumber: "62284801" + String(ids.length + 1).padStart(11, "0") },
          },
        ],
        // The settled 执101号's debtor has an account on file, so that a surplus can be refunded to it (issue 13).
        debtors: [
          s.number === "(2024)湘1129执101号"
            ? { name: s.debtor, kind: "organization", bankAccount: { bankName: "中国农业银行江华支行", accountName: s.debtor, accountNumber: "6228480011112222333" } }
            : { name: s.debtor, kind: s.debtor.length > 4 ? "organization" : "person" },
        ],
      },
    });
    for (const [amount, receivedOn, source] of s.receipts) {
      await call("createReceipt", actors.clerk, { params: { id: created.id }, body: { amount, receivedOn, source } });
    }
    ids.push(created.id);
  }
  return ids;
}

/** A password for a demo user: random, printed once in the banner. */
function demoPassword(): string {
  return `demo-${oneTimePassword()}`;
}
