import { startBrowser } from "./helpers.mjs";
import { randomBytes } from "node:crypto";
const { server, browser, stop } = await startBrowser();
const page = await browser.newPage();
page.on("console", (m) => console.log("console", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror", e.message));
await page.goto(server.url);
await page.locator("#status", { hasText: /^Ready\./ }).waitFor();
const bin = randomBytes(300000);
await page.locator("#files-all").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: bin });
for (let i = 0; i < 5; i++) { await page.waitForTimeout(1000); console.log(await page.locator("#status").textContent()); }
console.log(await page.locator(".slot-counts").allTextContents());
await page.locator("#files-all").setInputFiles({ name: "notes2.txt", mimeType: "text/plain", buffer: Buffer.from("hello there\n\nsecond") });
for (let i = 0; i < 3; i++) { await page.waitForTimeout(1000); console.log(await page.locator("#status").textContent()); }
await stop();
