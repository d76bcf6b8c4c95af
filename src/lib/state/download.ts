import { safeFileName } from '../export/file-name';

/**
 * Hands bytes or text to the browser as a downloaded file; nothing leaves the machine. Every name passes the one
 * rule for file names last (see file-name.ts), whoever made it: a browser would otherwise rewrite what it
 * dislikes its own way, differently in each.
 */
export function downloadFile(fileName: string, mime: string, content: BlobPart) {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = safeFileName(fileName, { fallback: 'download' });
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a moment later: some browsers start reading the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
