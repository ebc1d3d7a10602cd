// Saving text the app already holds as a file: a Blob, an object URL and a
// temporary <a download>. No server round trip, no library.

/** "Main company (Café)" → "main-company-cafe"; at most 60 characters, may be empty. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** The name of a connection's Web Connector file: ledgerlink-<slug>.qwc. */
export function qwcFileName(connectionName: string): string {
  return `ledgerlink-${slugify(connectionName) || 'quickbooks'}.qwc`;
}

/** Makes the browser save `text` as `fileName`. */
export function downloadTextFile(fileName: string, text: string, mimeType: string): void {
  const blob = new Blob([text], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // Some browsers read the URL only after click() returns; free it a little later.
    window.setTimeout(() => {
      if (typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
    }, 1_000);
  }
}
