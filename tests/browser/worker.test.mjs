// Drives the reading worker of the single-file page (dist/mim-reports.html)
// opened from file://, through the page's own worker client: the page
// installs `window.__mimWorkerTest` when its address ends in
// `#worker-selftest` (src/app/worker_client.rs).
//
// Checks the fixture's rows, then reads a generated export of about 200 MB
// while probing the page's thread, cancels a reading and loads again, and
// prints the figures (throughput, time to all rows, memory).
//
// Run with `node --test tests/browser/` after scripts/build-page.sh.
// MIM_PAGE overrides the page, CHROMIUM the browser binary, MIM_BIG_MB the
// size of the generated export.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import {
  browserArgs,
  fixtures as allFixtures,
  outsideRequests,
  pagePath,
  pageUrl,
  writeBigExport,
} from "./harness.mjs";

const fixtures = join(allFixtures, "basic");
const bigMegabytes = Number(process.env.MIM_BIG_MB ?? 200);

let workDir;
let profileDir;
let context;
let bigFile;
let bigEvents;

before(async () => {
  assert.ok(existsSync(pagePath), `${pagePath} is missing: run scripts/build-page.sh first`);
  workDir = mkdtempSync(join(tmpdir(), "mim-reports-worker-"));
  bigFile = join(workDir, "big-wevtutil.xml");
  const started = Date.now();
  const written = writeBigExport(bigFile, bigMegabytes);
  bigEvents = written.events;
  console.log(
    `generated ${bigFile}: ${written.copies} copies, ${bigEvents} events, ` +
      `${(Date.now() - started) / 1000} s`,
  );
  profileDir = join(workDir, "profile");
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: browserArgs,
    viewport: { width: 1100, height: 700 },
  });
});

after(async () => {
  await context?.close();
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
  }
});

// Opens the page with the worker's test hook, recording requests (the
// page's and its workers') and errors.
async function openPage() {
  const page = await context.newPage();
  const record = { requests: [], errors: [] };
  const onRequest = (request) => record.requests.push(request.url());
  context.on("request", onRequest);
  page.on("pageerror", (error) => record.errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      record.errors.push(`console error: ${message.text()}`);
    }
  });
  await page.addInitScript(() => {
    // Every text the reading worker posts, as its length and its start
    // (enough to tell a page of rows, its report and its total).
    window.__workerTexts = [];
    const PageWorker = window.Worker;
    window.Worker = class extends PageWorker {
      constructor(...args) {
        super(...args);
        this.addEventListener("message", (event) => {
          if (typeof event.data === "string") {
            window.__workerTexts.push({ length: event.data.length, start: event.data.slice(0, 80) });
          }
        });
      }
    };
    window.__policyViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__policyViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(`${pageUrl}#worker-selftest`);
  await page.waitForFunction(() => window.__mimWorkerTest !== undefined, null, { timeout: 20_000 });
  // A file input of the test's own, so that files reach the page as a user's
  // pick would: backed by the disk, not copied into memory.
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.id = "worker-test-files";
    input.hidden = true;
    document.body.append(input);
  });
  const close = async () => {
    context.off("request", onRequest);
    await page.close();
  };
  return { page, record, close };
}

// Hands files on disk to the worker client.
async function load(page, paths) {
  await page.setInputFiles("#worker-test-files", paths);
  await page.evaluate(() => {
    const input = document.getElementById("worker-test-files");
    window.__mimWorkerTest.load(Array.from(input.files));
  });
}

// Waits for the `n`-th event (counting from 1) of `kind` and returns it.
async function waitForEvent(page, kind, n = 1, timeout = 60_000) {
  const handle = await page.waitForFunction(
    ([kind, n]) => {
      const found = window.__mimWorkerTest.events.filter((e) => e.kind === kind);
      return found.length >= n ? found[n - 1] : undefined;
    },
    [kind, n],
    { timeout, polling: 20 },
  );
  return handle.jsonValue();
}

// The pages of rows the worker posted, by report: how many, the total
// their first page announced, and the longest text of any message.
async function rowPages(page) {
  const texts = await page.evaluate(() => window.__workerTexts);
  const pages = {};
  for (const { start } of texts) {
    const found = /^\{"rows":"([a-z-]+)","page":\{"total":(\d+),/.exec(start);
    if (found) {
      const [, report, total] = found;
      pages[report] ??= { pages: 0, total: Number(total) };
      pages[report].pages += 1;
    }
  }
  return { pages, longest: Math.max(0, ...texts.map((t) => t.length)) };
}

// The pages a report of `rows` rows takes, 1,000 rows a page.
const pagesOf = (rows) => ({ pages: Math.ceil(rows / 1000), total: rows });

function rowCounts(rows) {
  return {
    password_reset: rows.password_reset,
    registration: rows.registration,
    groups: rows.groups,
    other: rows.other,
    events_read: rows.events_read,
  };
}

test("the worker reads the Event Viewer fixture into the expected rows", async () => {
  const { page, record, close } = await openPage();

  await load(page, [join(fixtures, "eventviewer.xml")]);
  const fileDone = await waitForEvent(page, "file-done");
  const finished = await waitForEvent(page, "finished");

  const expected = {
    password_reset: 22,
    registration: 9,
    groups: 15,
    other: 69,
    events_read: "129",
  };
  assert.deepEqual(rowCounts(fileDone.rows), expected);
  assert.deepEqual(rowCounts(finished.rows), expected);
  assert.equal(finished.cancelled, false);
  // The rows came as one page per report, before the file's end.
  assert.deepEqual((await rowPages(page)).pages, {
    "password-reset": pagesOf(22),
    registration: pagesOf(9),
    "self-service-groups": pagesOf(15),
    "other-requests": pagesOf(69),
  });
  assert.equal(fileDone.progress.name, "eventviewer.xml");

  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(await page.evaluate(() => window.__policyViolations), []);
  assert.deepEqual(record.errors, []);
  await close();
});

test("a 200 MB export streams through the worker while the page stays responsive", async () => {
  const { page, record, close } = await openPage();

  // Probes the page's thread: the longest gap between timer ticks and
  // between animation frames, from the first progress to the file's end.
  await page.evaluate(() => {
    const probe = { gaps: [], maxFrameGap: 0, on: false, ticks: 0 };
    window.__probe = probe;
    let lastTick = performance.now();
    setInterval(() => {
      const now = performance.now();
      if (probe.on) {
        probe.gaps.push({ end: now, gap: now - lastTick });
        probe.ticks++;
      }
      lastTick = now;
    }, 10);
    let lastFrame = performance.now();
    const frame = (now) => {
      if (probe.on) {
        probe.maxFrameGap = Math.max(probe.maxFrameGap, now - lastFrame);
      }
      lastFrame = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });

  const started = Date.now();
  await load(page, [bigFile]);
  await waitForEvent(page, "progress");
  await page.evaluate(() => {
    window.__probe.on = true;
  });
  // The last progress before the file's end: the worker is reading.
  const midway = await page.waitForFunction(
    () => {
      const progress = window.__mimWorkerTest.events.filter((e) => e.kind === "progress");
      const last = progress[progress.length - 1];
      return last && last.progress.bytes_read > last.progress.total_bytes / 2 ? last : undefined;
    },
    null,
    { timeout: 60_000, polling: 50 },
  );
  const middle = await midway.jsonValue();
  const fileDone = await waitForEvent(page, "file-done", 1, 90_000);
  const finished = await waitForEvent(page, "finished");
  await page.waitForTimeout(200);
  const probe = await page.evaluate(() => {
    window.__probe.on = false;
    return window.__probe;
  });
  // Gaps that ended before the page had the file's snapshot in hand were
  // while the worker parsed; the others, while the page took the snapshot.
  const parsingGaps = probe.gaps.filter((g) => g.end < fileDone.at).map((g) => g.gap);
  const snapshotGaps = probe.gaps.filter((g) => g.end >= fileDone.at).map((g) => g.gap);
  probe.maxTimerGap = Math.max(0, ...parsingGaps);
  probe.maxSnapshotGap = Math.max(0, ...snapshotGaps);
  const allRows = Date.now() - started;

  const events = await page.evaluate(() => window.__mimWorkerTest.events);
  const progress = events.filter((e) => e.kind === "progress");
  const bytes = fileDone.progress.bytes_read;
  const seconds = fileDone.progress.elapsed_ms / 1000;
  const memory = await page.evaluate(() =>
    performance.memory
      ? { usedJSHeapSize: performance.memory.usedJSHeapSize }
      : "performance.memory not available",
  );
  const figures = {
    megabytes: +(bytes / 1024 / 1024).toFixed(1),
    events: fileDone.progress.events,
    requests: fileDone.progress.requests,
    worker_seconds: seconds,
    mb_per_second: +(bytes / 1024 / 1024 / seconds).toFixed(1),
    seconds_to_all_rows: allRows / 1000,
    progress_messages: progress.length,
    max_main_thread_gap_while_parsing_ms: +probe.maxTimerGap.toFixed(1),
    max_main_thread_gap_taking_the_snapshot_ms: +probe.maxSnapshotGap.toFixed(1),
    max_frame_gap_ms: +probe.maxFrameGap.toFixed(1),
    probe_ticks: probe.ticks,
    worker_wasm_memory_mb_midway: +(middle.progress.memory_bytes / 1024 / 1024).toFixed(1),
    worker_wasm_memory_mb_end: +(fileDone.progress.memory_bytes / 1024 / 1024).toFixed(1),
    page_memory: memory,
    measureUserAgentSpecificMemory: await page.evaluate(() =>
      typeof performance.measureUserAgentSpecificMemory === "function" && window.crossOriginIsolated
        ? "available"
        : "not available (the page is not cross-origin isolated)",
    ),
    rows: rowCounts(finished.rows),
  };
  console.log(`worker figures: ${JSON.stringify(figures, null, 2)}`);

  assert.equal(fileDone.progress.events, bigEvents);
  assert.equal(finished.rows.events_read, String(bigEvents));
  assert.ok(progress.length >= 5, `only ${progress.length} progress messages`);
  // About every 100 ms: never many more than the time allows.
  assert.ok(progress.length <= seconds * 10 + 5, `${progress.length} progress messages`);
  assert.ok(probe.ticks > 10, "the probe ran");
  assert.ok(probe.maxTimerGap < 100, `the page's thread stalled ${probe.maxTimerGap} ms`);
  assert.ok(
    probe.maxSnapshotGap < 100,
    `the page's thread stalled ${probe.maxSnapshotGap} ms taking the snapshot`,
  );
  // The rows came in pages of at most 1,000, each decoded on its own,
  // and no message was longer than a few pages' worth.
  const { pages, longest } = await rowPages(page);
  const r = finished.rows;
  assert.deepEqual(pages, {
    ...(r.password_reset > 0 && { "password-reset": pagesOf(r.password_reset) }),
    ...(r.registration > 0 && { registration: pagesOf(r.registration) }),
    ...(r.groups > 0 && { "self-service-groups": pagesOf(r.groups) }),
    ...(r.other > 0 && { "other-requests": pagesOf(r.other) }),
  });
  assert.ok(longest < 8_000_000, `a message of ${longest} characters`);
  // The worker holds rows and facts, not the file.
  assert.ok(fileDone.progress.memory_bytes < bytes, "the worker's memory stayed below the file's size");

  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(await page.evaluate(() => window.__policyViolations), []);
  assert.deepEqual(record.errors, []);
  await close();
});

test("cancel stops a reading at once, keeps what was read, and a next load works", async () => {
  const { page, record, close } = await openPage();

  await load(page, [bigFile]);
  await page.waitForFunction(
    () =>
      window.__mimWorkerTest.events.some(
        (e) => e.kind === "progress" && e.progress.bytes_read > 20 * 1024 * 1024,
      ),
    null,
    { timeout: 60_000, polling: 20 },
  );
  const cancelAt = Date.now();
  await page.evaluate(() => window.__mimWorkerTest.cancel());
  const cancelled = await waitForEvent(page, "cancelled");
  assert.equal(cancelled.restoring_files, 1);
  // The restored session: the big file, stopped early.
  const restored = await waitForEvent(page, "finished");
  console.log(`cancel: session restored in ${(Date.now() - cancelAt) / 1000} s`);
  assert.equal(restored.cancelled, true);
  assert.equal(restored.rows.files, 1);
  assert.equal(restored.rows.stopped_early, 1);
  const partialEvents = Number(restored.rows.events_read);
  assert.ok(partialEvents > 0 && partialEvents < bigEvents, `${partialEvents} events kept`);

  await load(page, [join(fixtures, "eventviewer.xml")]);
  const next = await waitForEvent(page, "finished", 2);
  assert.equal(next.cancelled, false);
  assert.equal(next.rows.files, 2);
  assert.equal(Number(next.rows.events_read), partialEvents + 129);
  assert.ok(next.rows.password_reset >= restored.rows.password_reset + 22);

  // Clear forgets the session; a load after it starts afresh.
  await page.evaluate(() => window.__mimWorkerTest.clear());
  await waitForEvent(page, "cleared");
  await load(page, [join(fixtures, "eventviewer.xml")]);
  const fresh = await waitForEvent(page, "finished", 3);
  assert.equal(fresh.rows.events_read, "129");
  assert.equal(fresh.rows.files, 1);

  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(await page.evaluate(() => window.__policyViolations), []);
  assert.deepEqual(record.errors, []);
  await close();
});

test("a clear at a file's rows forgets the session, although the reading's end was still to come", async () => {
  const { page, record, close } = await openPage();
  // Clear from inside the page's handling of the file's rows: the worker's
  // word that the reading ended is then still on its way or waiting.
  await page.evaluate(() => {
    const hook = window.__mimWorkerTest;
    hook.events.push = function (event) {
      const length = Array.prototype.push.call(this, event);
      if (event.kind === "file-done" && !window.__clearedAtFileDone) {
        window.__clearedAtFileDone = true;
        hook.clear();
      }
      return length;
    };
  });
  await load(page, [join(fixtures, "eventviewer.xml")]);
  await waitForEvent(page, "cleared");
  // Time for anything of the forgotten session that was still to come.
  await page.waitForTimeout(500);
  const kinds = (await page.evaluate(() => window.__mimWorkerTest.events))
    .map((e) => e.kind)
    .filter((kind) => kind !== "progress");
  assert.deepEqual(kinds, ["file-done", "cleared"]);

  await load(page, [join(fixtures, "eventviewer.xml")]);
  const fresh = await waitForEvent(page, "finished");
  assert.equal(fresh.rows.events_read, "129");
  assert.equal(fresh.rows.files, 1);
  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(record.errors, []);
  await close();
});

test("cancel with rows still to take does not hold the page up, and keeps what was read", async () => {
  const { page, record, close } = await openPage();
  // More files than the worker can read while the page is held, so that
  // one is being read when Cancel comes.
  await load(page, [bigFile, bigFile, bigFile, bigFile, bigFile, bigFile]);
  // Hold the page's thread while the worker reads the first file and sends
  // its rows, so that they wait, page after page, when Cancel comes.
  await page.evaluate(() => {
    const until = performance.now() + 3000;
    while (performance.now() < until) {
      // busy
    }
    setTimeout(() => {
      const start = performance.now();
      window.__mimWorkerTest.cancel();
      window.__cancelMs = performance.now() - start;
    }, 50);
  });
  const cancelled = await waitForEvent(page, "cancelled");
  const cancelMs = await page.evaluate(() => window.__cancelMs);
  console.log(`cancel with a backlog: the click's task took ${cancelMs.toFixed(1)} ms`);
  assert.ok(cancelMs < 100, `the cancel held the page for ${cancelMs} ms`);
  assert.ok(cancelled.restoring_files >= 1, JSON.stringify(cancelled));

  const restored = await waitForEvent(page, "finished");
  assert.equal(restored.cancelled, true);
  assert.equal(restored.rows.files, cancelled.restoring_files);
  assert.ok(restored.rows.stopped_early <= 1, JSON.stringify(restored.rows));
  // What was kept depends on how far the worker had come; something was.
  const events = Number(restored.rows.events_read);
  assert.ok(events > 0 && events <= 6 * bigEvents, `${events} events kept`);
  if (cancelled.restoring_files >= 2) {
    assert.ok(events >= bigEvents, `${events} events kept`);
  }
  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(record.errors, []);
  await close();
});

test("a clear while a new worker's first word waits to be handled still lets the next load run", async () => {
  const { page, record, close } = await openPage();
  await page.setInputFiles("#worker-test-files", [bigFile]);
  await page.evaluate(() => {
    const hook = window.__mimWorkerTest;
    // Clear just after the next worker's "ready" has reached the page's
    // inbox, before the page handled it.
    let owner = Worker.prototype;
    while (owner && !Object.getOwnPropertyDescriptor(owner, "onmessage")) {
      owner = Object.getPrototypeOf(owner);
    }
    const setter = Object.getOwnPropertyDescriptor(owner, "onmessage").set;
    Object.defineProperty(Worker.prototype, "onmessage", {
      configurable: true,
      set(handler) {
        const wrapped = handler
          ? (event) => {
              handler(event);
              if (window.__clearAtReady && String(event.data).startsWith('{"kind":"ready"')) {
                window.__clearAtReady = false;
                hook.clear();
              }
            }
          : handler;
        setter.call(this, wrapped);
      },
    });
    // A cancel before any progress replays nothing: a new worker starts
    // and the session is idle.
    hook.load(Array.from(document.getElementById("worker-test-files").files));
    window.__clearAtReady = true;
    hook.cancel();
  });
  await waitForEvent(page, "cleared", 1, 20_000);
  await load(page, [join(fixtures, "eventviewer.xml")]);
  const read = await waitForEvent(page, "finished", 1, 20_000);
  assert.equal(read.rows.events_read, "129");
  assert.equal(read.rows.files, 1);
  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(record.errors, []);
  await close();
});
