// RFC 4180 CSV of a chart's rows, offered as a download built in the page (no second request to the server).

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first — OWASP's CSV injection list) is
 * prefixed with an apostrophe; these cells come from APK listings, which anyone can write. Numbers are left exact.
 */
function cell(value) {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Header of column keys, then one line per row; CRLF line ends as RFC 4180 has them. */
export function toCsv(columns, rows) {
  const lines = [columns.map(c => cell(c.key)).join(',')];
  for (const row of rows) lines.push(columns.map(c => cell(row[c.key])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function download(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after this function returns; FileSaver.js waits 40 s before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 40_000);
}

/** A file name part from a value: letters, digits, dot, dash; anything else becomes a dash. */
export function slug(text) {
  return String(text).replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'all';
}
