import type { Knex } from "knex";
import { withTransaction } from "../transaction";
import { createCourt } from "../../api/courts/courts-service";
import type { Role } from "../../api/http/context";
import { createUser } from "../../api/users/users-service";

export interface DemoSeedResult {
  users: { role: Role; name: string; token: string }[];
  hints: string[];
}

export interface SeedOptions {
  log?: (message: string) => void;
}

/**
 * A small demo built through the service layer (so it obeys every rule and is audited):
 * two courts and one user per role. Tokens are random and printed once.
 */
export async function seedDemo(knex: Knex, options: SeedOptions = {}): Promise<DemoSeedResult> {
  const log = options.log ?? (() => {});
  return withTransaction(knex, async (tx) => {
    const system = await createUser(tx, { actor: null, requestId: "demo-seed" }, { name: "Demo admin", roles: ["admin"], courtIds: [] });
    const admin = { id: system.id, name: system.name, roles: system.roles, courtIds: [] as string[] };
    const jh = await createCourt(tx, { actor: admin, requestId: "demo-seed" }, { code: "JH", name: "江华瑶族自治县人民法院" });
    const lx = await createCourt(tx, { actor: admin, requestId: "demo-seed" }, { code: "LX", name: "临湘市人民法院" });
    log("demo: courts JH and LX");
    const courtIds = [jh.id, lx.id];
    const people: { role: Role; name: string }[] = [
      { role: "clerk", name: "李执行 (clerk)" },
      { role: "finance", name: "王财务 (finance)" },
      { role: "approver", name: "张庭长 (approver)" },
      { role: "list_officer", name: "赵名单 (list officer)" },
      { role: "inspector", name: "陈巡察 (inspector)" },
    ];
    const users: DemoSeedResult["users"] = [{ role: "admin", name: system.name, token: system.token }];
    for (const p of people) {
      const u = await createUser(tx, { actor: admin, requestId: "demo-seed" }, { name: p.name, roles: [p.role], courtIds });
      users.push({ role: p.role, name: p.name, token: u.token });
    }
    log(`demo: ${users.length} users`);
    return { users, hints: [] };
  });
}
