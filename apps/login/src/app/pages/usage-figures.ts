/** How money and counts read on the account and admin usage pages: `$0.0012`, `$1,234.50`, `12,345`. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Month-to-date spend against a monthly budget: `$3.20 of $10.00 (32%)`, or the spend alone. */
export function spendOfBudget(spent: number, budget: number | null): string {
  if (budget === null) return `${usd(spent)} (no budget)`;
  const share = budget > 0 ? Math.round((spent / budget) * 100) : 100;
  return `${usd(spent)} of ${usd(budget)} (${share}%)`;
}
