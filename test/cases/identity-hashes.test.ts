import { createLogger } from "../../api/logger";
import { loadConfig } from "../../api/config";
import { keyedHash } from "../../api/core/keyed-hash";
import { refreshIdentityHashes } from "../../api/cases/identity-hashes";
import { runSystemWrite } from "../../api/runner/runner";
import { courtWithStaff, createCase } from "../helpers/factories";
import { startTestApp, type TestApp } from "../helpers/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const base = loadConfig({ NODE_ENV: "test" });
const run = (identityHashKey: string) =>
  runSystemWrite({ knex: t.db.knex, config: { ...base, identityHashKey }, log: createLogger("silent") }, "identity-hashes", refreshIdentityHashes);

describe("id number hashes follow IDENTITY_HASH_KEY", () => {
  test("at start-up, rows without a hash get one; a new key makes every hash again, audited; the same key changes nothing", async () => {
    const s = await courtWithStaff(t, "H");
    const c = await createCase(t, s.clerk, s.court.id);
    const debtor = c.parties.find((p) => p.role === "debtor")!;
    await t.db.knex("parties").where({ id: debtor.id }).update({ id_number_hash: null });
    await run(base.identityHashKey);
    const hashOf = async () => (await t.db.knex("parties").where({ id: debtor.id }).first()).id_number_hash;
    expect(await hashOf()).toBe(keyedHash(base.identityHashKey, "id_number", "431129197505052345"));
    expect(await run(base.identityHashKey)).toBe(0);

    const newKey = "a new identity hash key of at least 32 characters";
    expect(await run(newKey)).toBeGreaterThanOrEqual(2);
    expect(await hashOf()).toBe(keyedHash(newKey, "id_number", "431129197505052345"));
    const event = await t.db.knex("audit_events").where({ action: "identity_hashes.rehashed" }).first();
    expect(event).toBeDefined();
    expect(JSON.stringify(event)).not.toContain(newKey);
    expect((await t.db.knex("keyed_hash_state").first()).key_check).not.toContain(newKey);
  });

  test("production refuses to start without a key", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/IDENTITY_HASH_KEY/);
    expect(() => loadConfig({ NODE_ENV: "production", IDENTITY_HASH_KEY: "short" })).toThrow(/IDENTITY_HASH_KEY/);
    expect(loadConfig({ NODE_ENV: "production", IDENTITY_HASH_KEY: "k".repeat(32) }).identityHashKey).toBe("k".repeat(32));
  });
});
