import type { SystemContext } from "../core/operation";
import { keyCheck, keyedHash } from "../core/keyed-hash";

const CHUNK = 1000;

/**
 * Keeps `parties.id_number_hash` made with the current IDENTITY_HASH_KEY (run at start-up): rows
 * written before search by id existed get their hash, and when the key has changed every hash is
 * made again — otherwise a new key would silently make every search by id find nothing. The key
 * itself is never stored, only a check value of it. Answers how many rows were hashed.
 */
export async function refreshIdentityHashes(ctx: SystemContext): Promise<number> {
  const tx = ctx.db;
  const key = ctx.config.identityHashKey;
  const check = keyCheck(key);
  const state = await tx("keyed_hash_state").where({ id: 1 }).forUpdate().first<{ key_check: string } | undefined>("key_check");
  const keyChanged = state !== undefined && state.key_check !== check;
  const q = tx("parties").whereNotNull("id_number").orderBy("id").select<{ id: string; id_number: string }[]>("id", "id_number");
  if (!keyChanged) q.whereNull("id_number_hash");
  const rows = await q;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await tx.raw(
      `UPDATE parties p SET id_number_hash = v.h FROM (VALUES ${chunk.map(() => "(?::uuid, ?::text)").join(", ")}) AS v(id, h) WHERE p.id = v.id`,
      chunk.flatMap((r) => [r.id, keyedHash(key, "id_number", r.id_number)]),
    );
  }
  await tx.raw(`INSERT INTO keyed_hash_state (id, key_check) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET key_check = EXCLUDED.key_check`, [check]);
  if (keyChanged) {
    ctx.audit.record({ action: "identity_hashes.rehashed", entityType: "system", entityId: "identity_hash_key", courtId: null, data: { parties: rows.length } });
  }
  return rows.length;
}
