/** Budgets run per calendar month in UTC: the month an instant falls in, and when it ends. */
export interface BudgetMonth {
  /** `YYYY-MM`, as Redis keys and messages name it. */
  readonly label: string;
  readonly startMs: number;
  /** The 1st of the next month, 00:00 UTC: when spend starts again from 0. */
  readonly endMs: number;
}

export function budgetMonthOf(ms: number): BudgetMonth {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return { label: `${year}-${String(month + 1).padStart(2, '0')}`, startMs: Date.UTC(year, month, 1), endMs: Date.UTC(year, month + 1, 1) };
}
