import { normaliseCaseNumber } from "../../api/cases/masking";
import { findCaseNumbers } from "../../api/statements/case-number-finder";

describe("case numbers in a payment's remark", () => {
  test.each([
    ["(2024)湘1129执123号", ["(2024)湘1129执123号"]],
    ["（2024）湘1129执123号", ["(2024)湘1129执123号"]],
    ["〔2024〕湘1129执123号", ["(2024)湘1129执123号"]],
    ["[2024]湘1129执123号", ["(2024)湘1129执123号"]],
    ["2024湘1129执123号", ["(2024)湘1129执123号"]],
    ["( 2024 ) 湘 1129 执 123 号", ["(2024)湘1129执123号"]],
    ["（２０２４）湘１１２９执１２３号", ["(2024)湘1129执123号"]],
    ["(2024)湘1129执0123号", ["(2024)湘1129执123号"]],
    ["还款(2024)湘1129执123", ["(2024)湘1129执123号"]],
    ["(2023)湘11执复12号", ["(2023)湘11执复12号"]],
    ["(2024)湘1129执恢45号 执行款", ["(2024)湘1129执恢45号"]],
    ["(2024)湘1129执保6号", ["(2024)湘1129执保6号"]],
    ["(2014)湘执字第123号", ["(2014)湘执字第123号"]],
    ["(2024)最高法执监1号", ["(2024)最高法执监1号"]],
    ["(2024)兵0101执9号", ["(2024)兵0101执9号"]],
  ])("%j → %j", (remark, expected) => {
    expect(findCaseNumbers(remark)).toEqual(expected);
  });

  test("several case numbers, in order, without repeats", () => {
    expect(findCaseNumbers("（2024）湘1129执123号、(2024)湘1129执124号；再付（2024）湘1129执123号")).toEqual(["(2024)湘1129执123号", "(2024)湘1129执124号"]);
  });

  test.each([
    ["a judgment is not an enforcement case", "(2023)湘1129民初456号"],
    ["no case number", "货款 3月"],
    ["a phone number is not a year", "13820241129执123"],
    ["a serial that runs into more digits is not cut short", "(2024)湘1129执1234567号"],
    ["an unknown court code", "(2024)XX1129执1号"],
    ["empty", ""],
  ])("%s: nothing found", (_why, remark) => {
    expect(findCaseNumbers(remark)).toEqual([]);
  });

  test("undefined and null remarks find nothing", () => {
    expect(findCaseNumbers(undefined)).toEqual([]);
    expect(findCaseNumbers(null)).toEqual([]);
  });

  test("every candidate is already in the form cases are compared in", () => {
    for (const c of findCaseNumbers("（2024）湘1129执123号 〔2023〕湘11执复12号")) expect(normaliseCaseNumber(c)).toBe(c);
  });
});
