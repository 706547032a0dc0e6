// Page benchmark: reads export files through the single-file page, as a user
// would (the file button, the reading worker, the tables), in headless
// Chromium from file://, and prints what it cost.
//
//   node tests/browser/bench-page.mjs FILE...
//
// Printed, per run:
// - time to all rows: from handing the files to the page until the last
//   file's rows are in the table and the page's status is idle;
// - the reading rate (file bytes over that time);
// - the longest task on the page's thread while reading (Long Tasks API),
//   and how many tasks took over 50 ms;
// - the reading worker's WebAssembly memory at its largest (the worker
//   reports it with its progress; the page keeps it in each file's
//   progress row, `data-worker-memory`);
// - the page's JavaScript heap at its largest (sampled by the DevTools
//   protocol every 100 ms);
// - the tab's renderer process at its largest (resident memory, sampled
//   from /proc every 100 ms): the page, its worker and everything else the
//   tab holds.
//
// MIM_PAGE overrides the page, CHROMIUM the browser binary. Not a test: it
// asserts only that the page read the files without an error, and is run by
// hand or by scripts/bench-page.sh.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";

import { chromium } from "playwright-core";

import { browserArgs, outsideRequests, pagePath, pageUrl } from "./harness.mjs";

const files = process.argv.slice(2).map((f) => resolve(f));
if (files.length === 0) {
  console.error("usage: node tests/browser/bench-page.mjs FILE...");
  process.exit(64);
}
const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

// Resident memory of every Chromium renderer process, by pid, in bytes.
function rendererMemory() {
  const found = new Map();
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmdline.includes("--type=renderer")) continue;
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      if (rss) found.set(pid, Number(rss[1]) * 1024);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

const profileDir = mkdtempSync(join(tmpdir(), "mim-reports-bench-"));
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: browserArgs,
  viewport: { width: 1280, height: 800 },
});
let exitCode = 0;
try {
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__bench = { longest: 0, over50: 0, workerMemory: 0, memories: [] };
    // The page's own WebAssembly memory: kept from the instance the glue
    // makes (a memory only grows, so its size at the end is its largest).
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...args) {
      const made = await instantiate.apply(this, args);
      const instance = made instanceof WebAssembly.Instance ? made : made.instance;
      if (instance?.exports?.memory) window.__bench.memories.push(instance.exports.memory);
      return made;
    };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__bench.longest = Math.max(window.__bench.longest, entry.duration);
        if (entry.duration > 50) window.__bench.over50 += 1;
      }
    }).observe({ type: "longtask", buffered: false });
    const memory = () => {
      for (const row of document.querySelectorAll("li.file-progress[data-worker-memory]")) {
        const bytes = Number(row.dataset.workerMemory || 0);
        window.__bench.workerMemory = Math.max(window.__bench.workerMemory, bytes);
      }
    };
    new MutationObserver(memory).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-worker-memory"],
    });
  });
  await page.goto(pageUrl);
  await page.getByRole("heading", { name: "MIM request reports" }).waitFor({ timeout: 30_000 });
  const cdp = await context.newCDPSession(page);
  await page.evaluate(() => {
    window.__bench.longest = 0;
    window.__bench.over50 = 0;
  });

  const baseline = Math.max(0, ...rendererMemory().values());
  let peakRenderer = baseline;
  let peakHeap = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peakRenderer = Math.max(peakRenderer, ...rendererMemory().values());
      try {
        const heap = await cdp.send("Runtime.getHeapUsage");
        peakHeap = Math.max(peakHeap, heap.usedSize);
      } catch {
        // The page is busy closing.
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  })();

  const started = performance.now();
  await page.getByLabel("Choose export files").setInputFiles(files);
  await page
    .locator(`section.results[data-files-read="${files.length}"]`)
    .waitFor({ timeout: 3_600_000 });
  await page.waitForFunction(() => document.querySelector(".status")?.textContent === "", null, {
    timeout: 3_600_000,
    polling: 50,
  });
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;

  const figures = await page.evaluate(() => ({
    ...window.__bench,
    memories: undefined,
    pageMemory: window.__bench.memories.reduce((sum, m) => sum + m.buffer.byteLength, 0),
  }));
  const tabs = await page.getByRole("tab").allTextContents();
  console.log(`page: ${pagePath}`);
  console.log(`files: ${files.map((f) => basename(f)).join(", ")} (${mb(totalBytes)})`);
  console.log(`tabs: ${tabs.join(" | ")}`);
  console.log(`time to all rows: ${seconds.toFixed(2)} s (${(totalBytes / 1e6 / seconds).toFixed(1)} MB/s)`);
  console.log(
    `page thread: longest task ${figures.longest.toFixed(0)} ms, ${figures.over50} tasks over 50 ms`,
  );
  console.log(`worker WebAssembly memory, largest: ${mb(figures.workerMemory)}`);
  console.log(`page WebAssembly memory, at the end (its largest): ${mb(figures.pageMemory)}`);
  console.log(`page JavaScript heap, largest: ${mb(peakHeap)}`);
  console.log(
    `tab memory, WebAssembly and JavaScript: ${mb(figures.workerMemory + figures.pageMemory + peakHeap)} ` +
      "(the worker's JavaScript heap, a few slices of the file, not counted)",
  );
  console.log(`tab renderer process, largest resident: ${mb(peakRenderer)} (${mb(baseline)} before the load)`);
  const outside = outsideRequests(requests);
  if (outside.length > 0 || errors.length > 0) {
    console.error(`requests outside the page: ${outside.join(", ") || "none"}`);
    console.error(`errors: ${errors.join("; ") || "none"}`);
    exitCode = 1;
  }
} finally {
  await context.close();
  rmSync(profileDir, { recursive: true, force: true });
}
process.exit(exitCode);
