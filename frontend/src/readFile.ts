// Reading a chosen file as text in the browser. QuickBooks' item list export, saved as CSV by
// Excel on Windows, is often Windows-1252 rather than UTF-8: decode it as such instead of
// turning every "é" into "�".

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

function readBytes(file: Blob): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsArrayBuffer(file);
  });
}

/** Decodes bytes as UTF-8 (without a BOM), else as Windows-1252. */
export function decodeText(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(view);
  } catch {
    try {
      return new TextDecoder('windows-1252').decode(view);
    } catch {
      return new TextDecoder('utf-8').decode(view);
    }
  }
}

export async function readTextFile(file: Blob): Promise<string> {
  return decodeText(await readBytes(file));
}
