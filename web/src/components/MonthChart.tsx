import Decimal from "decimal.js";
import { groupDigits, toWan } from "../lib/money";

/**
 * Monthly totals as a plain SVG bar chart (no chart library). The bar heights are pixels worked out
 * with decimal.js from the money strings; the labels show the server's figures.
 */
export function MonthChart({ months }: { months: { month: string; total: string; cases: number }[] }) {
  const width = Math.max(320, months.length * 80);
  const height = 220;
  const top = 24;
  const bottom = 40;
  const max = months.reduce((m, x) => Decimal.max(m, x.total), new Decimal(0));
  const bar = 40;
  return (
    <svg role="img" aria-label="按月发放金额" width="100%" viewBox={`0 0 ${width} ${height}`} style={{ maxWidth: width }}>
      <line x1={0} y1={height - bottom} x2={width} y2={height - bottom} stroke="#d9d9d9" />
      {months.map((m, i) => {
        const h = max.isZero() ? 0 : new Decimal(m.total).div(max).times(height - top - bottom).toDecimalPlaces(1).toNumber();
        const x = i * 80 + 20;
        return (
          <g key={m.month}>
            <rect className="chart-bar" x={x} y={height - bottom - h} width={bar} height={h}>
              <title>{`${m.month}：${groupDigits(m.total)} 元，${m.cases} 件`}</title>
            </rect>
            <text className="chart-label" x={x + bar / 2} y={height - bottom - h - 6} textAnchor="middle">
              {toWan(m.total)}万
            </text>
            <text className="chart-label" x={x + bar / 2} y={height - bottom + 16} textAnchor="middle">
              {m.month}
            </text>
            <text className="chart-label" x={x + bar / 2} y={height - bottom + 30} textAnchor="middle">
              {m.cases} 件
            </text>
          </g>
        );
      })}
    </svg>
  );
}
