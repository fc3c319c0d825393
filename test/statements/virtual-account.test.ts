import fc from "fast-check";
import { isValidVirtualAccountNumber, makeVirtualAccountNumber, mod97CheckDigits } from "../../api/statements/virtual-account";

const prefix = fc.stringMatching(/^\d{4,12}$/);
const serial = fc.integer({ min: 1, max: 99_999_999 });

describe("virtual account numbers (ISO 7064 MOD 97-10)", () => {
  test("prefix + the serial padded to 8 digits + two check digits", () => {
    expect(makeVirtualAccountNumber("430501", 123)).toBe("43050100000123" + mod97CheckDigits("43050100000123"));
    expect(makeVirtualAccountNumber("430501", 123)).toHaveLength(16);
    expect(isValidVirtualAccountNumber(makeVirtualAccountNumber("430501", 123))).toBe(true);
  });

  test("the check digits are those of the IBAN scheme (known value)", () => {
    // ISO 7064 MOD 97-10 over 3214282912345698765432161182 (the IBAN example GB82WEST…, rearranged) gives 82
    expect(mod97CheckDigits("3214282912345698765432161182".slice(0, -2))).toBe("82");
  });

  test("every number made is valid, and distinct serials give distinct numbers", () => {
    fc.assert(
      fc.property(prefix, serial, serial, (p, a, b) => {
        expect(isValidVirtualAccountNumber(makeVirtualAccountNumber(p, a))).toBe(true);
        if (a !== b) expect(makeVirtualAccountNumber(p, a)).not.toBe(makeVirtualAccountNumber(p, b));
      }),
    );
  });

  test("any single wrong digit is caught", () => {
    fc.assert(
      fc.property(prefix, serial, fc.nat(), fc.integer({ min: 1, max: 9 }), (p, s, at, shift) => {
        const n = makeVirtualAccountNumber(p, s);
        const i = at % n.length;
        const wrong = n.slice(0, i) + String((Number(n[i]) + shift) % 10) + n.slice(i + 1);
        expect(isValidVirtualAccountNumber(wrong)).toBe(false);
      }),
    );
  });

  test("any swap of two neighbouring different digits is caught (Luhn would miss 09↔90)", () => {
    fc.assert(
      fc.property(prefix, serial, fc.nat(), (p, s, at) => {
        const n = makeVirtualAccountNumber(p, s);
        const i = at % (n.length - 1);
        fc.pre(n[i] !== n[i + 1]);
        const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
        expect(isValidVirtualAccountNumber(swapped)).toBe(false);
      }),
    );
  });

  test("09↔90 in particular", () => {
    const n = makeVirtualAccountNumber("4305", 9);
    expect(n.slice(4, 12)).toBe("00000009");
    const swapped = n.slice(0, 10) + "90" + n.slice(12);
    expect(isValidVirtualAccountNumber(swapped)).toBe(false);
  });

  test.each([
    ["a prefix with letters", () => makeVirtualAccountNumber("43A5", 1)],
    ["serial 0", () => makeVirtualAccountNumber("4305", 0)],
    ["a fractional serial", () => makeVirtualAccountNumber("4305", 1.5)],
    ["a serial too long for its width", () => makeVirtualAccountNumber("4305", 123, { serialDigits: 2 })],
    ["a number over 32 digits", () => makeVirtualAccountNumber("12345678901234567890", 1, { serialDigits: 12 })],
  ])("%s is refused", (_name, make) => {
    expect(make).toThrow(RangeError);
  });

  test.each(["", "12", "43050100000123ab", " 4305010000012345", "4305-0100-0001-2345"])("%j is not a valid virtual account number", (s) => {
    expect(isValidVirtualAccountNumber(s)).toBe(false);
  });
});
