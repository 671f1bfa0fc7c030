/**
 * The one way the console hands a file over: a link clicked on the user's behalf. The browser host
 * serves exports at a URL (`delivery.kind === 'download'`); text made here becomes an object URL first.
 */
export function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  // Firefox clicks only a link that is in the document.
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Text as a file; the object URL is freed once the download has surely taken it. */
export function downloadText(text: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
