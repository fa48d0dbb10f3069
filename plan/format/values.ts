/** A property value as the plan prints it: JSON, so strings are quoted and absent values say so. */
export function showValue(value: unknown, maxLength = Infinity): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
