/** RFC 4180 field quoting, plus a guard against spreadsheet formula injection (OWASP "CSV injection"). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: unknown[]): string => `${values.map(csvField).join(',')}\r\n`;
