// User-facing messages of the render stage, in one place so their wording stays consistent.

export const messages = {
  noChromium: () =>
    'No Chromium found for the PDF: install it with `apt-get install -y chromium` or set ' +
    'BENCH_REPORT_CHROMIUM to a Chrome/Chromium binary; the HTML report was written.',
  chromiumEnvIgnored: (name: string, value: string) =>
    `${name}=${value} is not an executable file; looking for Chromium elsewhere.`,
  unknownFormat: (format: string) => `Unknown report format "${format}": use html, pdf, json, md, junit or summary.`,
  pdfTimeout: (htmlPath: string, seconds: number) =>
    `Printing ${htmlPath} to PDF took longer than ${seconds} s and was stopped; ` +
    'check that Chromium starts (e.g. `chromium --headless --version`) or raise the timeout.',
  pdfFailed: (htmlPath: string, chromium: string, reason: string) =>
    `Printing ${htmlPath} to PDF with ${chromium} failed: ${reason}`,
  pdfFailedNothingChanged: (reason: string, outDir: string) =>
    `${reason.replace(/\.?$/, ';')} no report file in ${outDir} was changed.`,
  writeFailed: (path: string, reason: string) =>
    `Writing ${path} failed (${reason}); no report file was changed, free some space or choose another --out.`,
} as const;
