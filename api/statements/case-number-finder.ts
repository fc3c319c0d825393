import { normaliseCaseNumber } from "../cases/masking";

/**
 * Enforcement case numbers written in a payment's remark (附言), as payers type them:
 * "(2024)湘1129执123号", "（2024）湘1129执123号", "〔2024〕湘1129执恢45号", "2024湘1129执123号",
 * "( 2024 ) 湘 1129 执 123 号", with full-width digits from a phone's keyboard, or in the pre-2016
 * form "(2014)湘执字第123号". A case number is 年份 + 法院代字 (province code, then 0–4 digits) +
 * 类型代字 (执, 执恢, 执保, 执异, 执复, 执监, 执协, 执他, 执外) + 案件编号 + 号. Only enforcement
 * cases are looked for: the remark may also cite the judgment (民初), which is not our case.
 *
 * Answers the candidates in the form `normaliseCaseNumber` gives (half-width parentheses, no
 * blanks), in order of appearance, without repeats; the serial loses leading zeros (案件编号 is a
 * plain sequence number, never zero-padded).
 */
const COURT = "最高法|[京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵]";
const B = "[\\s\\u3000]*";
const CASE_NUMBER = new RegExp(
  `(?<!\\d)[（(〔\\[【]?${B}((?:19|20)\\d{2})${B}[)）〕\\]】]?${B}(${COURT})${B}(\\d{0,4})${B}(执[恢保异复监协他外]?)${B}(字第)?${B}0*(\\d{1,6})${B}号?(?!\\d)`,
  "g",
);

export function findCaseNumbers(remark: string | undefined | null): string[] {
  if (!remark) return [];
  const text = toHalfWidthDigits(remark);
  const found: string[] = [];
  for (const m of text.matchAll(CASE_NUMBER)) {
    const [, year, court, courtDigits, type, ziDi = "", serial] = m;
    const candidate = normaliseCaseNumber(`(${year})${court}${courtDigits}${type}${ziDi}${serial}号`);
    if (!found.includes(candidate)) found.push(candidate);
  }
  return found;
}

/** ０-９ → 0-9: only for finding case numbers in free text, never for money. */
function toHalfWidthDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}
